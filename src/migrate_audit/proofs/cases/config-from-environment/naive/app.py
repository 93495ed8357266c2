import os

from fastapi import FastAPI

BOOKS_PER_PAGE = int(os.environ.get("BOOKSHELF_BOOKS_PER_PAGE", 20))
SHOW_PRICES = os.environ.get("BOOKSHELF_SHOW_PRICES", True)

app = FastAPI()

BOOKS = [{"title": "Dune", "price": 9.5}, {"title": "Emma", "price": 7.0}, {"title": "Ubik", "price": 8.0}]


@app.get("/books")
def list_books():
    books = BOOKS[:BOOKS_PER_PAGE]
    if not SHOW_PRICES:
        books = [{"title": book["title"]} for book in books]
    return books
