from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class BookIn(BaseModel):
    title: str
    pages: int


@app.get("/books/{book_id}", summary="Get one book")
def get_book(book_id: int, lang: str = "en"):
    return {"id": book_id, "lang": lang}


@app.post("/books", status_code=201, summary="Add a book")
def create_book(book: BookIn):
    return {"id": 3, **book.model_dump()}
