from fastapi import FastAPI, Response
from pydantic import BaseModel

app = FastAPI()
BOOKS: dict[int, dict] = {}


class BookIn(BaseModel):
    title: str


@app.post("/books", status_code=201)
def create_book(book_in: BookIn, response: Response):
    book = {"id": len(BOOKS) + 1, "title": book_in.title}
    BOOKS[book["id"]] = book
    response.headers["Location"] = f"/books/{book['id']}"
    return book
