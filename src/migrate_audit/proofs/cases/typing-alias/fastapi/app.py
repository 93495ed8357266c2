from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()

BOOKS = {1: {"id": 1, "title": "Dune"}}


class BookOut(BaseModel):
    id: int
    title: str


@app.get("/books/{book_id}")
def get_book(book_id: int) -> BookOut:
    return BookOut(**BOOKS[book_id])
