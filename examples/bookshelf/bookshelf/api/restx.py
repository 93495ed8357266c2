"""Read-only partner API. Kept on flask-restx because partners consume its Swagger file."""
from flask import Blueprint, current_app
from flask_restx import Api, Namespace, Resource, fields, reqparse

from ..models import Book

partner_bp = Blueprint("partner_api", __name__)
api = Api(partner_bp, version="1.0", title="Bookshelf partner API", doc="/docs")

ns = Namespace("catalogue", description="Books available for resale")

book_model = ns.model(
    "Book",
    {
        "id": fields.Integer(readonly=True),
        "isbn": fields.String(required=True),
        "title": fields.String(required=True),
        "author": fields.String,
        "published_year": fields.Integer,
        "price_cents": fields.Integer,
    },
)

list_parser = reqparse.RequestParser()
list_parser.add_argument("author", type=str, location="args")
list_parser.add_argument("limit", type=int, default=50, location="args")


@ns.route("/books")
class BookList(Resource):
    @ns.expect(list_parser)
    @ns.marshal_list_with(book_model)
    def get(self):
        args = list_parser.parse_args()
        query = Book.query.order_by(Book.id)
        if args["author"]:
            query = query.filter(Book.author.ilike(f"%{args['author']}%"))
        limit = min(args["limit"], current_app.config["BOOKS_PER_PAGE"] * 5)
        return query.limit(limit).all()


@ns.route("/books/<int:book_id>")
@ns.response(404, "Book not found")
class BookItem(Resource):
    @ns.marshal_with(book_model)
    def get(self, book_id):
        return Book.query.get_or_404(book_id)


api.add_namespace(ns, path="/v1")
