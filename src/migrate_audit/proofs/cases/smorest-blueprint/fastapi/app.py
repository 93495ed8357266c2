from typing import Annotated

from fastapi import APIRouter, FastAPI, HTTPException, Query
from pydantic import BaseModel, ConfigDict

app = FastAPI(title="Library", version="v1")
router = APIRouter(prefix="/books", tags=["books"])

BOOKS = [{"id": 1, "title": "Dune", "year": 1965}, {"id": 2, "title": "Emma", "year": 1815}]


class BookIn(BaseModel):
    model_config = ConfigDict(extra="forbid")  # marshmallow refuses unknown fields; Pydantic ignores them by default
    title: str
    year: int


class Book(BookIn):
    id: int  # dump_only: in the answer, never read from the request


class BookFilter(BaseModel):
    before: int | None = None


@router.get("/", response_model=list[Book])
def list_books(filters: Annotated[BookFilter, Query()]):
    return [b for b in BOOKS if filters.before is None or b["year"] < filters.before]


@router.post("/", response_model=Book, status_code=201)
def create_book(new_book: BookIn):
    book = {"id": len(BOOKS) + 1, **new_book.model_dump()}
    BOOKS.append(book)
    return book


@router.get("/{book_id}", response_model=Book)
def get_book(book_id: int):
    if not 0 < book_id <= len(BOOKS):
        raise HTTPException(status_code=404, detail=f"book {book_id} does not exist")
    return BOOKS[book_id - 1]


app.include_router(router)
