from flask import Flask, current_app


class DefaultConfig:
    BOOKS_PER_PAGE = 20
    SHOW_PRICES = True


app = Flask(__name__)
app.config.from_object(DefaultConfig)
app.config.from_prefixed_env("BOOKSHELF")

BOOKS = [{"title": "Dune", "price": 9.5}, {"title": "Emma", "price": 7.0}, {"title": "Ubik", "price": 8.0}]


@app.get("/books")
def list_books():
    books = BOOKS[: current_app.config["BOOKS_PER_PAGE"]]
    if not current_app.config["SHOW_PRICES"]:
        books = [{"title": book["title"]} for book in books]
    return books
