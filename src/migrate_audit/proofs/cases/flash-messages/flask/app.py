from flask import Flask, flash, redirect, render_template, url_for

app = Flask(__name__)
app.secret_key = "change-me"


@app.post("/books")
def add_book():
    flash("Saved", "success")
    return redirect(url_for("index"), code=303)


@app.get("/")
def index():
    return render_template("index.html")
