from flask import Flask, g, request

app = Flask(__name__)

API_KEYS = {"k-ada": "ada", "k-alan": "alan"}
BOOKS = ["Dune", "Emma"]


@app.before_request
def load_user():
    user = API_KEYS.get(request.headers.get("X-API-Key", ""))
    if user is None:
        return {"detail": "Not authenticated"}, 401
    g.user = user


@app.get("/books")
def list_books():
    return BOOKS


@app.get("/me")
def me():
    return {"name": g.user}
