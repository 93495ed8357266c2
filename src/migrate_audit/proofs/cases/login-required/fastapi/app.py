from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.middleware.sessions import SessionMiddleware

app = FastAPI()
app.add_middleware(SessionMiddleware, secret_key="change-me")

USERS = {"ada": {"name": "Ada Lovelace", "password": "analytical-engine"}}


class User(BaseModel):
    id: str
    name: str


class Credentials(BaseModel):
    username: str
    password: str


class NotAuthenticated(Exception):
    pass


@app.exception_handler(NotAuthenticated)
async def unauthorized(request: Request, exc: NotAuthenticated):
    return JSONResponse({"error": "login required"}, status_code=401)


def load_user(user_id):
    return User(id=user_id, name=USERS[user_id]["name"]) if user_id in USERS else None


def get_current_user(request: Request) -> User:
    user = load_user(request.session.get("user_id"))
    if user is None:
        raise NotAuthenticated()
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


@app.post("/login")
def login(credentials: Credentials, request: Request):
    record = USERS.get(credentials.username)
    if record is None or record["password"] != credentials.password:
        return JSONResponse({"error": "bad credentials"}, status_code=401)
    request.session["user_id"] = credentials.username
    return {"name": record["name"]}


@app.post("/logout")
def logout(user: CurrentUser, request: Request):
    request.session.pop("user_id", None)
    return {"logged_out": True}


@app.get("/account")
def account(user: CurrentUser):
    return {"name": user.name}
