from flask import Flask, url_for
from werkzeug.routing import BuildError

app = Flask(__name__)


@app.get("/books/<int:book_id>")
def book(book_id):
    return {"id": book_id}


@app.get("/links")
def links():
    try:
        retired = url_for("retired_page")
    except BuildError:
        retired = None
    return {"book": url_for("book", book_id=3), "retired": retired}
