import json

from flask import Flask, abort
from werkzeug.exceptions import HTTPException

app = Flask(__name__)
BOOKS = {1: "Dune"}


@app.errorhandler(HTTPException)
def json_error(e):
    response = e.get_response()  # keeps the status and headers (Allow on a 405)
    response.data = json.dumps({"code": e.code, "error": e.name})
    response.content_type = "application/json"
    return response


@app.get("/books/<int:book_id>")
def show_book(book_id):
    if book_id not in BOOKS:
        abort(404)
    return {"id": book_id, "title": BOOKS[book_id]}
