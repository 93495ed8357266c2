from flask import Flask
from flask_restful import Api, Resource, abort, fields, marshal_with, reqparse

app = Flask(__name__)
app.config["ERROR_404_HELP"] = False  # no "did you mean" suggestions appended to 404 messages
api = Api(app)

BOOKS = {1: {"id": 1, "title": "Dune", "year": 1965, "internal_note": "reorder in May"}}

book_fields = {"id": fields.Integer, "title": fields.String, "year": fields.Integer}

book_parser = reqparse.RequestParser()
book_parser.add_argument("title", type=str, required=True, location="json", help="a title is required")
book_parser.add_argument("year", type=int, required=True, location="json", help="the year must be a number")


class BookList(Resource):
    @marshal_with(book_fields)
    def get(self):
        return list(BOOKS.values())

    @marshal_with(book_fields)
    def post(self):
        args = book_parser.parse_args()
        book = {"id": max(BOOKS) + 1, "title": args["title"], "year": args["year"], "internal_note": ""}
        BOOKS[book["id"]] = book
        return book, 201


class Book(Resource):
    @marshal_with(book_fields)
    def get(self, book_id):
        if book_id not in BOOKS:
            abort(404, message=f"book {book_id} does not exist")
        return BOOKS[book_id]


api.add_resource(BookList, "/books")
api.add_resource(Book, "/books/<int:book_id>")
