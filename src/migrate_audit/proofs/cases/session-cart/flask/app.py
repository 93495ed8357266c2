import os

from flask import Flask, request, session

app = Flask(__name__)
app.secret_key = os.environ["SECRET_KEY"]


@app.post("/cart")
def add_to_cart():
    session["cart"] = [*session.get("cart", []), request.get_json()["book"]]
    return {"cart": session["cart"]}


@app.get("/cart")
def show_cart():
    return {"cart": session.get("cart", [])}
