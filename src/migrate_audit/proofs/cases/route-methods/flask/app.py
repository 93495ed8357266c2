from flask import Flask, request
from markupsafe import escape

app = Flask(__name__)
subscribers: list[str] = []

FORM = '<form method="post"><input name="email" type="email"><button>Subscribe</button></form>'


@app.route("/newsletter", methods=["GET", "POST"])
def newsletter():
    if request.method == "POST":
        email = request.form["email"]
        subscribers.append(email)
        return f"<p>Thanks, {escape(email)}! You are subscriber number {len(subscribers)}.</p>"
    return FORM
