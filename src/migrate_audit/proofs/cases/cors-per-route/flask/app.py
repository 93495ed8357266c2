from flask import Flask
from flask_cors import cross_origin

app = Flask(__name__)


@app.route("/public/books", methods=["GET", "POST"])
@cross_origin()
def public_books():
    return {"books": ["Dune"]}


@app.get("/private/stats")
def stats():
    return {"loans": 3}
