import datetime
from dataclasses import dataclass

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict

app = FastAPI()


@dataclass
class Book:  # an ORM model in a real app
    id: int
    title: str
    published: datetime.date
    internal_notes: str


BOOKS = [Book(1, "Dune", datetime.date(1965, 8, 1), "reprint due"),
         Book(2, "The Dispossessed", datetime.date(1974, 5, 1), "")]


class BookIn(BaseModel):
    title: str
    published: datetime.date


class BookOut(BaseModel):  # dump_only fields live here only
    model_config = ConfigDict(from_attributes=True)
    id: int
    title: str
    published: datetime.date


@app.get("/books", response_model=list[BookOut])
def list_books():
    return BOOKS


@app.post("/books", status_code=201, response_model=BookOut)
def create_book(data: BookIn):
    book = Book(id=len(BOOKS) + 1, internal_notes="", **data.model_dump())
    BOOKS.append(book)
    return book
