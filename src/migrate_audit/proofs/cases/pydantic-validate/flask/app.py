from flask import Flask
from flask_pydantic import validate
from pydantic import BaseModel, Field

app = Flask(__name__)


class BookQuery(BaseModel):
    limit: int = 10
    author: str | None = None


class BookIn(BaseModel):
    title: str
    pages: int = Field(gt=0)


class BookOut(BaseModel):
    id: int
    title: str
    pages: int


@app.get("/books")
@validate()
def list_books(query: BookQuery):
    return {"limit": query.limit, "author": query.author}


@app.post("/books")
@validate(on_success_status=201)
def create_book(body: BookIn):
    return BookOut(id=1, **body.model_dump())
