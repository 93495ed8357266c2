from flask import Flask, request

app = Flask(__name__)


@app.post("/books")
def create_book():
    data = request.get_json()
    title = data["title"]
    year = int(data.get("year", 0))
    return {"title": title, "year": year}, 201
