import os

from flask import Flask, request, session

app = Flask(__name__)
app.secret_key = os.environ["SECRET_KEY"]


@app.post("/login")
def login():
    session["user"] = request.form["user"]
    return {"user": session["user"]}


@app.get("/me")
def me():
    return {"user": session.get("user")}
