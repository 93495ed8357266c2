from flask import Flask, abort, jsonify

app = Flask(__name__)


@app.errorhandler(404)
def not_found(e):
    return jsonify(error=e.name, status=e.code), e.code


@app.get("/books/<int:book_id>")
def book(book_id):
    abort(404)
