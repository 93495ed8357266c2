from fastapi import APIRouter, FastAPI, HTTPException
from pydantic import BaseModel

app = FastAPI(title="Library", version="1.0")
router = APIRouter(prefix="/books", tags=["books"])

BOOKS = [{"id": 1, "title": "Dune", "year": 1965, "internal_note": "reorder in May"}]


class BookIn(BaseModel):
    title: str
    year: int


class Book(BaseModel):
    id: int
    title: str
    year: int


@router.get("", response_model=list[Book])
def list_books():
    return BOOKS


@router.post("", response_model=Book, status_code=201)
def create_book(data: BookIn):
    book = {"id": len(BOOKS) + 1, **data.model_dump()}
    BOOKS.append(book)
    return book


@router.get("/{book_id}", response_model=Book)
def get_book(book_id: int):
    if not 0 < book_id <= len(BOOKS):
        raise HTTPException(status_code=404, detail=f"book {book_id} does not exist")
    return BOOKS[book_id - 1]


app.include_router(router)
