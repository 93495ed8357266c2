from flask import Flask, make_response, render_template

app = Flask(__name__)


@app.get("/")
def index():
    resp = make_response(render_template("index.html"))
    resp.set_cookie("seen", "1")
    resp.headers["X-Frame-Options"] = "DENY"
    return resp
