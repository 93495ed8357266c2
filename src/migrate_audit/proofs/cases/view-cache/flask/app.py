from flask import Flask, request
from flask_caching import Cache

app = Flask(__name__)
cache = Cache(app, config={"CACHE_TYPE": "SimpleCache"})
computed = 0


@app.get("/books")
@cache.cached(timeout=60, query_string=True)
def books():
    global computed
    computed += 1
    return {"page": request.args.get("page", 1, type=int), "computed": computed}
