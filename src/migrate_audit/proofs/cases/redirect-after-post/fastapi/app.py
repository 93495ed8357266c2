from typing import Annotated

from fastapi import FastAPI, Form
from fastapi.responses import RedirectResponse

app = FastAPI()


@app.post("/books")
def create_book(title: Annotated[str, Form()]):
    # 303 See Other is the modern answer; 302 keeps what Flask sent, and browsers GET the new page.
    return RedirectResponse(f"/books/{title}", status_code=302)
