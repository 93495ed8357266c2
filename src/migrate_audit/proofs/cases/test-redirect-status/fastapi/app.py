from typing import Annotated

from fastapi import FastAPI, Form
from fastapi.responses import RedirectResponse

app = FastAPI()


@app.post("/login")
def login(user: Annotated[str, Form()]):
    return RedirectResponse(f"/welcome/{user}", status_code=302)


@app.get("/welcome/{user}")
def welcome(user: str):
    return {"hello": user}
