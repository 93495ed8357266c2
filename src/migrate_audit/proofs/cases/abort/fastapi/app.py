from fastapi import FastAPI, HTTPException

app = FastAPI()

BOOKS = {1: "Dune"}


@app.get("/books/{book_id}")
def get_book(book_id: int):
    if book_id not in BOOKS:
        raise HTTPException(status_code=404, detail="Book not found")
    return {"title": BOOKS[book_id]}


@app.delete("/books/{book_id}")
def delete_book(book_id: int):
    raise HTTPException(status_code=403)
