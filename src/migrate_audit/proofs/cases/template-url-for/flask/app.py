from flask import Blueprint, Flask, render_template

books = Blueprint("books", __name__)


@books.get("/books/<int:book_id>")
def show(book_id):
    return f"book {book_id}"


app = Flask(__name__)
app.register_blueprint(books)


@app.get("/")
def index():
    return render_template("index.html")
