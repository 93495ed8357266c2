from fastapi import APIRouter, FastAPI, Request
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

templates = Jinja2Templates(directory="templates")
books = APIRouter()


# name= keeps the endpoint the templates already use: FastAPI's route names are flat.
@books.get("/books/{book_id}", name="books.show")
def show(book_id: int):
    return f"book {book_id}"


app = FastAPI()
app.mount("/static", StaticFiles(directory="static"), name="static")
app.include_router(books)


@app.get("/")
def index(request: Request):
    return templates.TemplateResponse(request, "index.html")
