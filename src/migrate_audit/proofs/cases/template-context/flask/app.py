from flask import Flask, g, redirect, render_template, request, session

app = Flask(__name__)
app.config.update(SECRET_KEY="dev", SITE_NAME="Bookshelf")


@app.before_request
def load_reader():
    g.reader = request.headers.get("X-Reader", "guest")


@app.post("/theme")
def set_theme():
    session["theme"] = request.form["theme"]
    return redirect("/")


@app.get("/")
def index():
    return render_template("index.html")
