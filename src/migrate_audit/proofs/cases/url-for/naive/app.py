from fastapi import APIRouter, FastAPI, Request

router = APIRouter()
BOOKS = {1: "Dune", 2: "Solaris"}


@router.get("/books")
def index(request: Request):
    return {"books": [
        {"title": title,
         "href": str(request.url_for("book_detail", book_id=book_id)),
         "share": str(request.url_for("book_detail", book_id=book_id))}
        for book_id, title in BOOKS.items()
    ]}


@router.get("/books/{book_id:int}", name="book_detail")
def detail(book_id: int):
    return {"id": book_id, "title": BOOKS[book_id]}


app = FastAPI()
app.include_router(router)
