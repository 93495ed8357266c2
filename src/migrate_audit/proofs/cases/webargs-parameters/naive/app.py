from typing import Annotated

from fastapi import FastAPI, Query
from pydantic import BaseModel, Field

app = FastAPI()


class AuthorIn(BaseModel):
    name: str = Field(min_length=1, max_length=50)


@app.get("/search")
def search(q: str, page: Annotated[int, Query(ge=1)] = 1):
    return {"q": q, "page": page}


@app.post("/authors", status_code=201)
def create_author(author: AuthorIn):
    return {"name": author.name}
