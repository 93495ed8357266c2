from fastapi import FastAPI, Request
from pydantic import BaseModel

app = FastAPI()
BOOKS = {1: "Dune"}


class BookOut(BaseModel):
    id: int
    title: str
    url: str
    absolute_url: str


@app.get("/books/{book_id}", name="book_detail", response_model=BookOut)
def book_detail(book_id: int, request: Request):
    return BookOut(id=book_id, title=BOOKS[book_id],
                   url=request.app.url_path_for("book_detail", book_id=book_id),
                   absolute_url=str(request.url_for("book_detail", book_id=book_id)))
