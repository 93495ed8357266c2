import datetime
from dataclasses import dataclass

from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


@dataclass
class Book:
    id: int
    title: str
    published: datetime.date
    internal_notes: str


BOOKS = [Book(1, "Dune", datetime.date(1965, 8, 1), "reprint due"),
         Book(2, "The Dispossessed", datetime.date(1974, 5, 1), "")]


class BookIn(BaseModel):
    title: str
    published: datetime.date


@app.get("/books")
def list_books():
    return BOOKS


@app.post("/books", status_code=201)
def create_book(data: BookIn):
    book = Book(id=len(BOOKS) + 1, internal_notes="", **data.model_dump())
    BOOKS.append(book)
    return book
