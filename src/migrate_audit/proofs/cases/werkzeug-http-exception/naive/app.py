from fastapi import FastAPI
from werkzeug.exceptions import Conflict, NotFound

app = FastAPI()

BOOKS = {1: "Dune"}


def find_book(book_id: int) -> str:
    try:
        return BOOKS[book_id]
    except KeyError:
        raise NotFound(f"no book {book_id}") from None  # FastAPI does not know Werkzeug's exceptions


@app.get("/books/{book_id}")
def get_book(book_id: int):
    return {"title": find_book(book_id)}


@app.put("/books/{book_id}")
def replace_book(book_id: int):
    find_book(book_id)
    raise Conflict("book is checked out")
