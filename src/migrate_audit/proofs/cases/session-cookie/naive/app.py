import os
from typing import Annotated

from fastapi import FastAPI, Form, Request
from starlette.middleware.sessions import SessionMiddleware

app = FastAPI()
app.add_middleware(SessionMiddleware, secret_key=os.environ["SECRET_KEY"])


@app.post("/login")
def login(request: Request, user: Annotated[str, Form()]):
    request.session["user"] = user
    return {"user": user}


@app.get("/me")
def me(request: Request):
    return {"user": request.session.get("user")}
