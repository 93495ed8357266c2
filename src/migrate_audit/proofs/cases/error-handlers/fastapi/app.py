from fastapi import FastAPI, HTTPException, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

app = FastAPI()
BOOKS = {1: "Dune"}


@app.exception_handler(StarletteHTTPException)
async def not_found(request: Request, exc: StarletteHTTPException):
    if exc.status_code == 404:
        return JSONResponse({"error": "not found", "path": request.url.path}, status_code=404)
    return await http_exception_handler(request, exc)


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
