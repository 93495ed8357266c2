from flask import Flask, request

app = Flask(__name__)


@app.post("/login")
def login():
    username = request.form["username"]
    remember = request.form.get("remember", "no")
    return {"user": username, "remember": remember == "yes"}
