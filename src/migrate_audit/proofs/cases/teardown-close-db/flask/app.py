import sqlite3

from flask import Flask, abort, g

app = Flask(__name__)
DATABASE = "bookshelf.db"


def get_db():
    if "db" not in g:
        g.db = sqlite3.connect(DATABASE)
    return g.db


@app.teardown_appcontext
def close_db(exc):
    db = g.pop("db", None)
    if db is not None:
        db.close()


@app.get("/books/<int:book_id>")
def show_book(book_id):
    row = get_db().execute("SELECT title FROM book WHERE id = ?", (book_id,)).fetchone()
    if row is None:
        abort(404)
    return {"id": book_id, "title": row[0]}
