from flask import Flask

app = Flask(__name__)
app.json.sort_keys = True  # clients compare the bytes (ETags, snapshot tests)


@app.get("/books/1")
def book():
    return {"title": "Dune", "author": {"name": "Frank Herbert", "born": 1920}, "year": 1965, "available": True}

@app.get("/books/2/summary")
def summary():
    return {"title": "Solaris", "author": "Stanisław Lem"}
