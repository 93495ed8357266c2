from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware

app = FastAPI()
app.add_middleware(GZipMiddleware, minimum_size=500)  # Flask-Compress's COMPRESS_MIN_SIZE

BOOKS = [{"id": i, "title": f"Book number {i}"} for i in range(50)]


@app.get("/books")
def list_books():
    return {"books": BOOKS}


@app.get("/ping")
def ping():
    return {"ok": True}
