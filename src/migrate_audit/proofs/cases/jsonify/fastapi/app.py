from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()

BOOKS = {1: {"title": "Dune", "author": "Frank Herbert", "year": 1965}}


class BookIn(BaseModel):
    title: str


@app.get("/books/{book_id}")
def get_book(book_id: int):
    book = BOOKS[book_id]
    return {"title": book["title"], "author": book["author"], "year": book["year"], "id": book_id}


@app.get("/books")
def list_books():
    return [{"title": b["title"], "id": i} for i, b in BOOKS.items()]


@app.post("/books", status_code=201)
def create_book(book: BookIn):
    book_id = max(BOOKS) + 1
    BOOKS[book_id] = {"title": book.title, "author": "", "year": 0}
    return {"id": book_id, "created": True}
