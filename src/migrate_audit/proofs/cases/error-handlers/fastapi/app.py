from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse

app = FastAPI()
BOOKS = {1: "Dune"}


@app.exception_handler(404)  # keyed by status: HTTPException(404) from a view and the router's own 404
async def not_found(request: Request, exc: Exception):
    return JSONResponse({"error": "not found", "path": request.url.path}, status_code=404)


@app.exception_handler(Exception)
async def server_error(request: Request, exc: Exception):
    return JSONResponse({"error": "internal error"}, status_code=500)


@app.get("/books/{book_id}")
def show_book(book_id: int):
    if book_id not in BOOKS:
        raise HTTPException(status_code=404)
    return {"id": book_id, "title": BOOKS[book_id]}


@app.get("/boom")
def boom():
    raise RuntimeError("database down")
