from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class BookIn(BaseModel):
    title: str


@app.post("/books")
def create_book(book: BookIn):
    return {"title": book.title}
