from flask import Flask, redirect, request

app = Flask(__name__)


@app.post("/books")
def create_book():
    title = request.form["title"]
    return redirect(f"/books/{title}")
