from flask import Flask, render_template

app = Flask(__name__)

BOOKS = {1: {"title": "Pride & Prejudice", "author": "Jane Austen"}}


@app.get("/books/<int:book_id>")
def book_page(book_id):
    return render_template("book.html", book=BOOKS[book_id])
