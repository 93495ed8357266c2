from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class BookIn(BaseModel):
    title: str
    year: int = 0


@app.post("/books", status_code=201)
def create_book(book: BookIn):
    return {"title": book.title, "year": book.year}
