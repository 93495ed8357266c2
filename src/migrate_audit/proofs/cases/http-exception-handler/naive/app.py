from http import HTTPStatus

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse

app = FastAPI()
BOOKS = {1: "Dune"}


@app.exception_handler(HTTPException)
async def json_error(request: Request, exc: HTTPException):
    return JSONResponse({"code": exc.status_code, "error": HTTPStatus(exc.status_code).phrase},
                        status_code=exc.status_code, headers=exc.headers)


@app.get("/books/{book_id:int}")
def show_book(book_id: int):
    if book_id not in BOOKS:
        raise HTTPException(404)
    return {"id": book_id, "title": BOOKS[book_id]}
