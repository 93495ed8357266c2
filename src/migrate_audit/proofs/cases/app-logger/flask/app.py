from flask import Flask

app = Flask(__name__)
BOOKS = {"dune": "Dune"}


@app.get("/books/<slug>")
def show_book(slug):
    if slug not in BOOKS:
        app.logger.warning("unknown book %r", slug)
        return {"error": "not found"}, 404
    app.logger.info("served %s", slug)
    return {"title": BOOKS[slug]}
