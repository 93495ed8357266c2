from flask import Flask
from flask_restx import Api, Namespace, Resource, fields

app = Flask(__name__)
api = Api(app, title="Library", version="1.0")
ns = Namespace("books", description="The catalogue")
api.add_namespace(ns, path="/books")

BookModel = ns.model("Book", {
    "id": fields.Integer(readonly=True),
    "title": fields.String(required=True),
    "year": fields.Integer(required=True),
})

BOOKS = [{"id": 1, "title": "Dune", "year": 1965, "internal_note": "reorder in May"}]


@ns.route("")
class BookList(Resource):
    @ns.marshal_list_with(BookModel)
    def get(self):
        return BOOKS

    @ns.expect(BookModel, validate=True)
    @ns.marshal_with(BookModel, code=201)
    def post(self):
        book = {"id": len(BOOKS) + 1, "title": api.payload["title"], "year": api.payload["year"]}
        BOOKS.append(book)
        return book, 201


@ns.route("/<int:book_id>")
class Book(Resource):
    @ns.marshal_with(BookModel)
    def get(self, book_id):
        if not 0 < book_id <= len(BOOKS):
            ns.abort(404, f"book {book_id} does not exist")
        return BOOKS[book_id - 1]
