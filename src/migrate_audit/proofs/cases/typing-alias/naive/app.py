from fastapi import FastAPI
from flask.typing import ResponseReturnValue

app = FastAPI()

BOOKS = {1: {"id": 1, "title": "Dune"}}


@app.get("/books/{book_id}")
def get_book(book_id: int) -> ResponseReturnValue:  # kept from the Flask view
    book = BOOKS[book_id]
    return {"id": book["id"], "title": book["title"]}
