from typing import Annotated

from fastapi import FastAPI, Query
from pydantic import BaseModel, Field

app = FastAPI()


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
def list_books(query: Annotated[BookQuery, Query()]):
    return {"limit": query.limit, "author": query.author}


@app.post("/books", status_code=201, response_model=BookOut)
def create_book(body: BookIn):
    return BookOut(id=1, **body.model_dump())
