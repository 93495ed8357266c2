from fastapi import FastAPI, HTTPException

app = FastAPI()

BOOKS = {1: "Dune"}


def find_book(book_id: int) -> str:
    try:
        return BOOKS[book_id]
    except KeyError:
        raise HTTPException(status_code=404, detail=f"no book {book_id}") from None


@app.get("/books/{book_id}")
def get_book(book_id: int):
    return {"title": find_book(book_id)}


@app.put("/books/{book_id}")
def replace_book(book_id: int):
    find_book(book_id)
    raise HTTPException(status_code=409, detail="book is checked out")
