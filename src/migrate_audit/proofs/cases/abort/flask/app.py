from flask import Flask, abort

app = Flask(__name__)

BOOKS = {1: "Dune"}


@app.get("/books/<int:book_id>")
def get_book(book_id):
    if book_id not in BOOKS:
        abort(404, description="Book not found")
    return {"title": BOOKS[book_id]}


@app.delete("/books/<int:book_id>")
def delete_book(book_id):
    abort(403)
