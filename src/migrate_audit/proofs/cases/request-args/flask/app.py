from flask import Flask, request

app = Flask(__name__)

BOOKS = ["Dune", "Emma", "Ulysses", "Beloved", "Middlemarch"]


@app.get("/books")
def books():
    page = request.args.get("page", 1, type=int)
    size = request.args.get("size", 2, type=int)
    tags = request.args.getlist("tag")
    start = (page - 1) * size
    return {"page": page, "tags": tags, "books": BOOKS[start:start + size]}
