from typing import Annotated

from fastapi import FastAPI, Query

app = FastAPI()

BOOKS = ["Dune", "Emma", "Ulysses", "Beloved", "Middlemarch"]


@app.get("/books")
def books(page: int = 1, size: int = 2, tag: Annotated[list[str], Query()] = []):
    start = (page - 1) * size
    return {"page": page, "tags": tag, "books": BOOKS[start:start + size]}
