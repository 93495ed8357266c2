import jinja2
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates


def price(value):
    return f"{value:.2f} EUR"


def shop_name():
    return "Bookshelf"


def inject_year(request: Request):
    return {"year": 2025}


environment = jinja2.Environment(loader=jinja2.FileSystemLoader("templates"), trim_blocks=True, lstrip_blocks=True)
environment.filters["price"] = price
environment.globals["shop_name"] = shop_name
templates = Jinja2Templates(env=environment, context_processors=[inject_year])

app = FastAPI()


@app.get("/books", response_class=HTMLResponse)
def list_books(request: Request):
    books = [{"title": "Pride & Prejudice", "price": 9.5}, {"title": "<em>Dune</em>", "price": 12}]
    return templates.TemplateResponse(request, "books.html", {"books": books})
