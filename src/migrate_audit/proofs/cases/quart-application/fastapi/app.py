from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()
BOOKS = [{"id": 1, "title": "Dune"}, {"id": 2, "title": "Emma"}]


class NewBook(BaseModel):
    title: str


@app.get("/books")
async def list_books(q: str = ""):
    return [book for book in BOOKS if q.lower() in book["title"].lower()]


@app.post("/books", status_code=201)
async def add_book(new: NewBook):
    book = {"id": len(BOOKS) + 1, "title": new.title}
    BOOKS.append(book)
    return book
