from flask import Flask

app = Flask(__name__)


@app.get("/books/", strict_slashes=False)
def books():
    return {"books": ["Dune"]}


@app.get("/authors/")
def authors():
    return {"authors": ["Frank Herbert"]}


@app.get("/about")
def about():
    return {"about": "A bookshop"}
