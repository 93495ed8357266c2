from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.templating import Jinja2Templates

templates = Jinja2Templates(directory="templates")
app = FastAPI()


@dataclass
class User:
    name: str
    is_authenticated: bool = True


ANONYMOUS = User(name="", is_authenticated=False)


def get_current_user(request: Request) -> User:
    token = request.headers.get("Authorization", "")
    return User(name="Ann") if token == "Bearer ann-token" else ANONYMOUS


@app.get("/")
def index(request: Request, user: Annotated[User, Depends(get_current_user)]):
    return templates.TemplateResponse(request, "index.html", {"current_user": user})
