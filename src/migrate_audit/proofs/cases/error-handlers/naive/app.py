from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse

app = FastAPI()
BOOKS = {1: "Dune"}


@app.exception_handler(HTTPException)  # FastAPI's subclass: the router's own 404s are not raised with it
async def not_found(request: Request, exc: HTTPException):
    if exc.status_code == 404:
        return JSONResponse({"error": "not found", "path": request.url.path}, status_code=404)
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)


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
