from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from starlette.middleware.sessions import SessionMiddleware


def flash(request: Request, message: str, category: str = "message") -> None:
    request.session.setdefault("_flashes", []).append([category, message])


def flashed_messages(request: Request) -> dict:
    def get_flashed_messages(with_categories=False):
        flashes = request.session.pop("_flashes", [])
        return [tuple(item) for item in flashes] if with_categories else [message for _, message in flashes]

    return {"get_flashed_messages": get_flashed_messages}


templates = Jinja2Templates(directory="templates", context_processors=[flashed_messages])
app = FastAPI()
app.add_middleware(SessionMiddleware, secret_key="change-me")


@app.post("/books")
def add_book(request: Request):
    flash(request, "Saved", "success")
    return RedirectResponse(request.url_for("index"), status_code=303)


@app.get("/", name="index", response_class=HTMLResponse)
def index(request: Request):
    return templates.TemplateResponse(request, "index.html")
