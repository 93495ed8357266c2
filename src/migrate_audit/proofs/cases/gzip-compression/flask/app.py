from flask import Flask
from flask_compress import Compress

app = Flask(__name__)
Compress(app)

BOOKS = [{"id": i, "title": f"Book number {i}"} for i in range(50)]


@app.get("/books")
def list_books():
    return {"books": BOOKS}


@app.get("/ping")
def ping():
    return {"ok": True}
