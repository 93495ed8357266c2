from cachelib import SimpleCache
from flask import Flask, session
from flask_session import Session

app = Flask(__name__)
app.config.update(SESSION_TYPE="cachelib", SESSION_CACHELIB=SimpleCache())  # Redis in production
Session(app)


@app.post("/cart/<item>")
def add_to_cart(item):
    session.setdefault("cart", []).append(item)
    session.modified = True
    return {"cart": session["cart"]}


@app.get("/cart")
def show_cart():
    return {"cart": session.get("cart", [])}
