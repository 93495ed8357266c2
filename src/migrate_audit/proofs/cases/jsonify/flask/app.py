from flask import Flask, jsonify, request

app = Flask(__name__)

BOOKS = {1: {"title": "Dune", "author": "Frank Herbert", "year": 1965}}


@app.get("/books/<int:book_id>")
def get_book(book_id):
    book = BOOKS[book_id]
    return jsonify(title=book["title"], author=book["author"], year=book["year"], id=book_id)


@app.get("/books")
def list_books():
    return jsonify([{"title": b["title"], "id": i} for i, b in BOOKS.items()])


@app.post("/books")
def create_book():
    book_id = max(BOOKS) + 1
    BOOKS[book_id] = {"title": request.json["title"], "author": "", "year": 0}
    return jsonify(id=book_id, created=True), 201
