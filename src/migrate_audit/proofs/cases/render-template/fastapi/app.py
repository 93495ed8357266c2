from fastapi import FastAPI, Request
from fastapi.templating import Jinja2Templates

app = FastAPI()
templates = Jinja2Templates(directory="templates")

BOOKS = {1: {"title": "Pride & Prejudice", "author": "Jane Austen"}}


@app.get("/books/{book_id}")
def book_page(request: Request, book_id: int):
    return templates.TemplateResponse(request, "book.html", {"book": BOOKS[book_id]})
