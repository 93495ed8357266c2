from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

public = FastAPI()
# Flask-CORS's defaults: any origin (echoed back, not "*"), any method, any requested header
public.add_middleware(CORSMiddleware, allow_origin_regex=".*", allow_methods=["*"], allow_headers=["*"])


@public.api_route("/books", methods=["GET", "POST"])
def public_books():
    return {"books": ["Dune"]}


app = FastAPI()
app.mount("/public", public)


@app.get("/private/stats")
def stats():
    return {"loans": 3}
