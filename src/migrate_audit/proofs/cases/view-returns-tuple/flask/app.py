from flask import Flask, request

app = Flask(__name__)
BOOKS: dict[int, dict] = {}


@app.post("/books")
def create_book():
    book = {"id": len(BOOKS) + 1, "title": request.get_json()["title"]}
    BOOKS[book["id"]] = book
    return book, 201, {"Location": f"/books/{book['id']}"}
