import datetime
from dataclasses import dataclass

from flask import Flask, request
from flask_marshmallow import Marshmallow
from marshmallow import ValidationError

app = Flask(__name__)
ma = Marshmallow(app)


@dataclass
class Book:  # an ORM model in a real app
    id: int
    title: str
    published: datetime.date
    internal_notes: str


BOOKS = [Book(1, "Dune", datetime.date(1965, 8, 1), "reprint due"),
         Book(2, "The Dispossessed", datetime.date(1974, 5, 1), "")]


class BookSchema(ma.Schema):
    id = ma.Integer(dump_only=True)
    title = ma.String(required=True)
    published = ma.Date(required=True)


book_schema = BookSchema()
books_schema = BookSchema(many=True)


@app.get("/books")
def list_books():
    return books_schema.dump(BOOKS)


@app.post("/books")
def create_book():
    try:
        data = book_schema.load(request.get_json())
    except ValidationError as err:
        return err.messages, 400
    book = Book(id=len(BOOKS) + 1, internal_notes="", **data)
    BOOKS.append(book)
    return book_schema.dump(book), 201
