from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse
from fastapi.templating import Jinja2Templates
from starlette.middleware.sessions import SessionMiddleware
from starlette_wtf import CSRFProtectMiddleware, csrf_protect, csrf_token


def csrf_context(request: Request) -> dict:
    return {"csrf_token": lambda: csrf_token(request)}  # the templates keep calling csrf_token()


templates = Jinja2Templates(directory="templates", context_processors=[csrf_context])
app = FastAPI()
app.add_middleware(CSRFProtectMiddleware, csrf_secret="dev")
app.add_middleware(SessionMiddleware, secret_key="dev")


@app.get("/books/new")
def new_book(request: Request):
    return templates.TemplateResponse(request, "new_book.html")


@app.post("/books", response_class=PlainTextResponse)
@csrf_protect
async def create_book(request: Request):
    form = await request.form()
    return f"saved {form['title']}"
