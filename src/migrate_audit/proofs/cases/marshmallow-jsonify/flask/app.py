from dataclasses import dataclass

from flask import Flask
from flask_marshmallow import Marshmallow

app = Flask(__name__)
ma = Marshmallow(app)


@dataclass
class Book:  # an ORM model in a real app
    id: int
    title: str
    internal_notes: str


BOOKS = [Book(1, "Dune", "reprint due"), Book(2, "Kindred", "")]


class BookSchema(ma.Schema):
    id = ma.Integer()
    title = ma.String()


book_schema = BookSchema()
books_schema = BookSchema(many=True)


@app.get("/books/<int:book_id>")
def book(book_id):
    return book_schema.jsonify(BOOKS[book_id - 1])


@app.get("/books")
def books():
    return books_schema.jsonify(BOOKS)
