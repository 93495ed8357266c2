from flask import Flask
from flask.typing import ResponseReturnValue

app = Flask(__name__)

BOOKS = {1: {"id": 1, "title": "Dune"}}


@app.get("/books/<int:book_id>")
def get_book(book_id: int) -> ResponseReturnValue:
    book = BOOKS[book_id]
    return {"id": book["id"], "title": book["title"]}
