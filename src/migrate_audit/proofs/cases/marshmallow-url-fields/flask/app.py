from flask import Flask
from flask_marshmallow import Marshmallow

app = Flask(__name__)
ma = Marshmallow(app)
BOOKS = {1: "Dune"}


class BookSchema(ma.Schema):
    id = ma.Integer()
    title = ma.String()
    url = ma.URLFor("book_detail", values={"book_id": "<id>"})
    absolute_url = ma.AbsoluteURLFor("book_detail", values={"book_id": "<id>"})


@app.get("/books/<int:book_id>")
def book_detail(book_id):
    return BookSchema().dump({"id": book_id, "title": BOOKS[book_id]})
