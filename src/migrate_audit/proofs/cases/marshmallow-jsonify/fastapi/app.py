from dataclasses import dataclass

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict

app = FastAPI()


@dataclass
class Book:  # an ORM model in a real app
    id: int
    title: str
    internal_notes: str


BOOKS = [Book(1, "Dune", "reprint due"), Book(2, "Kindred", "")]


class BookOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    title: str


@app.get("/books/{book_id}", response_model=BookOut)
def book(book_id: int):
    return BOOKS[book_id - 1]


@app.get("/books", response_model=list[BookOut])
def books():
    return BOOKS
