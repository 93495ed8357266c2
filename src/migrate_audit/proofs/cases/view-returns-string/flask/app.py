from flask import Flask
from markupsafe import escape

app = Flask(__name__)


@app.get("/hello/<name>")
def hello(name):
    return f"<p>Hello, {escape(name)}!</p>"
