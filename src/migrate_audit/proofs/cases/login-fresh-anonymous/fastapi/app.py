import time
from typing import Annotated

from fastapi import Depends, FastAPI, Header, HTTPException, Request
from starlette.middleware.sessions import SessionMiddleware

FRESH_FOR = 600  # seconds a password login counts as fresh

app = FastAPI()
app.add_middleware(SessionMiddleware, secret_key="change-me")


def current_user(request: Request, x_api_key: Annotated[str | None, Header()] = None) -> str | None:
    if x_api_key == "k-alice":
        return "alice"
    return request.session.get("user_id")  # None: the anonymous user


def require_fresh(request: Request, user: Annotated[str | None, Depends(current_user)]) -> str:
    fresh = time.time() - request.session.get("login_at", 0) < FRESH_FOR
    if user is None or request.session.get("user_id") != user or not fresh:
        raise HTTPException(status_code=401)
    return user


@app.post("/login")
def login(request: Request):
    request.session.update(user_id="alice", login_at=time.time())  # after checking the password
    return {"ok": True}


@app.get("/hello")
def hello(user: Annotated[str | None, Depends(current_user)]):
    return {"hello": user or "guest"}


@app.post("/password")
def change_password(user: Annotated[str, Depends(require_fresh)]):
    return {"changed": user}
