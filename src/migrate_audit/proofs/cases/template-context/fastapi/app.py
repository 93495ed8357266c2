from typing import Annotated

from fastapi import FastAPI, Form, Request
from fastapi.responses import RedirectResponse
from fastapi.templating import Jinja2Templates
from pydantic_settings import BaseSettings
from starlette.middleware.sessions import SessionMiddleware


class Settings(BaseSettings):
    secret_key: str = "dev"
    site_name: str = "Bookshelf"


settings = Settings()


def site_context(request: Request) -> dict:
    return {"settings": settings}  # what Flask's `config` global gave every template


templates = Jinja2Templates(directory="templates", context_processors=[site_context])
app = FastAPI()
app.add_middleware(SessionMiddleware, secret_key=settings.secret_key)


@app.middleware("http")
async def load_reader(request: Request, call_next):
    request.state.reader = request.headers.get("X-Reader", "guest")  # Flask's g, per request
    return await call_next(request)


@app.post("/theme")
def set_theme(request: Request, theme: Annotated[str, Form()]):
    request.session["theme"] = theme
    return RedirectResponse("/", status_code=302)


@app.get("/")
def index(request: Request):
    return templates.TemplateResponse(request, "index.html")
