from flask import Flask, redirect, request

app = Flask(__name__)


@app.post("/login")
def login():
    user = request.form["user"]
    return redirect(f"/welcome/{user}", code=302)  # explicit: Flask 3.2 makes 303 the default


@app.get("/welcome/<user>")
def welcome(user):
    return {"hello": user}
