from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()
BOOKS: dict[int, dict] = {}


class BookIn(BaseModel):
    title: str


@app.post("/books")
def create_book(book_in: BookIn):
    book = {"id": len(BOOKS) + 1, "title": book_in.title}
    BOOKS[book["id"]] = book
    return book, 201, {"Location": f"/books/{book['id']}"}
