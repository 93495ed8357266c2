from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates


def price(value):
    return f"{value:.2f} EUR"


def shop_name():
    return "Bookshelf"


def inject_year(request: Request):
    return {"year": 2025}


templates = Jinja2Templates(directory="templates", context_processors=[inject_year])
templates.env.trim_blocks = True
templates.env.lstrip_blocks = True
templates.env.filters["price"] = price
templates.env.globals["shop_name"] = shop_name

app = FastAPI()


@app.get("/books", response_class=HTMLResponse)
def list_books(request: Request):
    books = [{"title": "Pride & Prejudice", "price": 9.5}, {"title": "<em>Dune</em>", "price": 12}]
    return templates.TemplateResponse(request, "books.html", {"books": books})
