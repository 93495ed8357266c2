from flask import Blueprint, abort

bp = Blueprint("books", __name__, url_prefix="/books")
BOOKS = {1: "Dune", 2: "Solaris"}


@bp.get("/")
def index():
    return {"books": [{"id": k, "title": v} for k, v in BOOKS.items()]}


@bp.get("/<int:book_id>")
def detail(book_id):
    if book_id not in BOOKS:
        abort(404)
    return {"id": book_id, "title": BOOKS[book_id]}
