from flask import Flask, abort, request

app = Flask(__name__)
BOOKS = {1: "Dune"}


@app.errorhandler(404)
def not_found(error):
    return {"error": "not found", "path": request.path}, 404


@app.errorhandler(500)
def server_error(error):
    return {"error": "internal error"}, 500


@app.get("/books/<int:book_id>")
def show_book(book_id):
    if book_id not in BOOKS:
        abort(404)
    return {"id": book_id, "title": BOOKS[book_id]}


@app.get("/boom")
def boom():
    raise RuntimeError("database down")
