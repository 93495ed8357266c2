from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFProtect

app = Flask(__name__)
app.secret_key = "dev"
csrf = CSRFProtect(app)


@app.get("/books/new")
def new_book():
    return render_template("new_book.html")


@app.post("/books")
def create_book():
    return f"saved {request.form['title']}"
