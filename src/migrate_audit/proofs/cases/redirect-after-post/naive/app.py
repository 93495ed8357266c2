from typing import Annotated

from fastapi import FastAPI, Form
from fastapi.responses import RedirectResponse

app = FastAPI()


@app.post("/books")
def create_book(title: Annotated[str, Form()]):
    return RedirectResponse(f"/books/{title}")  # 307: the browser re-POSTs the form to /books/dune
