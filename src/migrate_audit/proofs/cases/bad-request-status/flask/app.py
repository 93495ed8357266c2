from flask import Flask, abort, request

app = Flask(__name__)


@app.post("/books")
def create_book():
    data = request.get_json()
    if not isinstance(data.get("title"), str):
        abort(400, "title is required")
    return {"title": data["title"]}
