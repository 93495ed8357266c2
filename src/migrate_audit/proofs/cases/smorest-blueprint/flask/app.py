import marshmallow as ma
from flask import Flask
from flask.views import MethodView
from flask_smorest import Api, Blueprint, abort

app = Flask(__name__)
app.config.update(API_TITLE="Library", API_VERSION="v1", OPENAPI_VERSION="3.0.3")
api = Api(app)
blp = Blueprint("books", __name__, url_prefix="/books", description="The catalogue")

BOOKS = [{"id": 1, "title": "Dune", "year": 1965}, {"id": 2, "title": "Emma", "year": 1815}]


class BookSchema(ma.Schema):
    id = ma.fields.Int(dump_only=True)
    title = ma.fields.Str(required=True)
    year = ma.fields.Int(required=True)


class BookFilterSchema(ma.Schema):
    before = ma.fields.Int()


@blp.route("/")
class Books(MethodView):
    @blp.arguments(BookFilterSchema, location="query")
    @blp.response(200, BookSchema(many=True))
    def get(self, filters):
        return [b for b in BOOKS if "before" not in filters or b["year"] < filters["before"]]

    @blp.arguments(BookSchema)
    @blp.response(201, BookSchema)
    def post(self, new_book):
        book = {"id": len(BOOKS) + 1, **new_book}
        BOOKS.append(book)
        return book


@blp.route("/<int:book_id>")
class BookById(MethodView):
    @blp.response(200, BookSchema)
    def get(self, book_id):
        if not 0 < book_id <= len(BOOKS):
            abort(404, message=f"book {book_id} does not exist")
        return BOOKS[book_id - 1]


api.register_blueprint(blp)
