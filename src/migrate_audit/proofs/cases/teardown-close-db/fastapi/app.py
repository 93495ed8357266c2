import sqlite3
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException

app = FastAPI()
DATABASE = "bookshelf.db"


def get_db():
    # One request may run its dependencies and its view in different threadpool threads.
    db = sqlite3.connect(DATABASE, check_same_thread=False)
    try:
        yield db
    finally:
        db.close()


@app.get("/books/{book_id}")
def show_book(book_id: int, db: Annotated[sqlite3.Connection, Depends(get_db)]):
    row = db.execute("SELECT title FROM book WHERE id = ?", (book_id,)).fetchone()
    if row is None:
        raise HTTPException(status_code=404)
    return {"id": book_id, "title": row[0]}
