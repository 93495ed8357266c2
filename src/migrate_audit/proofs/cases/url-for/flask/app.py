from flask import Blueprint, Flask, url_for

bp = Blueprint("books", __name__)
BOOKS = {1: "Dune", 2: "Solaris"}


@bp.get("/books")
def index():
    return {"books": [
        {"title": title,
         "href": url_for("books.detail", book_id=book_id),
         "share": url_for("books.detail", book_id=book_id, _external=True)}
        for book_id, title in BOOKS.items()
    ]}


@bp.get("/books/<int:book_id>")
def detail(book_id):
    return {"id": book_id, "title": BOOKS[book_id]}


app = Flask(__name__)
app.register_blueprint(bp)
