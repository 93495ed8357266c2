from flask import Flask, request, url_for

app = Flask(__name__)
BOOKS = ["Dune", "Solaris", "Kindred", "Neuromancer", "Ubik"]


@app.get("/books")
def list_books():
    page = request.args.get("page", 1, type=int)
    return {
        "books": BOOKS[(page - 1) * 2:page * 2],
        "next": url_for("list_books", page=page + 1, _external=True),
    }
