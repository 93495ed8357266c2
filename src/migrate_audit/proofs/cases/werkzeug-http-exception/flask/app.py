from flask import Flask
from werkzeug.exceptions import Conflict, NotFound

app = Flask(__name__)

BOOKS = {1: "Dune"}


def find_book(book_id: int) -> str:
    try:
        return BOOKS[book_id]
    except KeyError:
        raise NotFound(f"no book {book_id}") from None


@app.get("/books/<int:book_id>")
def get_book(book_id):
    return {"title": find_book(book_id)}


@app.put("/books/<int:book_id>")
def replace_book(book_id):
    find_book(book_id)
    raise Conflict("book is checked out")
