from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

app = FastAPI()

BOOKS = {1: {"id": 1, "title": "Dune", "year": 1965, "internal_note": "reorder in May"}}


class BookIn(BaseModel):
    title: str
    year: int


class BookOut(BaseModel):
    id: int
    title: str
    year: int


@app.get("/books", response_model=list[BookOut])
def list_books():
    return list(BOOKS.values())


@app.post("/books", response_model=BookOut, status_code=201)
def create_book(data: BookIn):
    book = {"id": max(BOOKS) + 1, **data.model_dump(), "internal_note": ""}
    BOOKS[book["id"]] = book
    return book


@app.get("/books/{book_id}", response_model=BookOut)
def get_book(book_id: int):
    if book_id not in BOOKS:
        raise HTTPException(status_code=404, detail=f"book {book_id} does not exist")
    return BOOKS[book_id]
