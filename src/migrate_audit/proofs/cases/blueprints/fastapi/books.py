from fastapi import APIRouter, HTTPException

router = APIRouter(prefix="/books", tags=["books"])
BOOKS = {1: "Dune", 2: "Solaris"}


@router.get("/")
def index():
    return {"books": [{"id": k, "title": v} for k, v in BOOKS.items()]}


@router.get("/{book_id:int}")
def detail(book_id: int):
    if book_id not in BOOKS:
        raise HTTPException(404)
    return {"id": book_id, "title": BOOKS[book_id]}
