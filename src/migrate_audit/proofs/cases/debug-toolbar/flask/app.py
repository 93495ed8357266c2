import os

from flask import Flask
from flask_debugtoolbar import DebugToolbarExtension

app = Flask(__name__)
app.debug = os.environ.get("APP_DEBUG") == "1"
app.config["SECRET_KEY"] = "dev-only"
toolbar = DebugToolbarExtension(app)


@app.get("/")
def index():
    return "<html><body><h1>Shop</h1></body></html>"


@app.get("/api/status")
def status():
    return {"ok": True}
