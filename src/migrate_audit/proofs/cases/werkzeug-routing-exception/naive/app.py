from fastapi import FastAPI, Request
from werkzeug.routing import BuildError

app = FastAPI()


@app.get("/books/{book_id:int}")
def book(book_id: int):
    return {"id": book_id}


@app.get("/links")
def links(request: Request):
    try:
        retired = request.app.url_path_for("retired_page")
    except BuildError:  # Starlette never raises it
        retired = None
    return {"book": request.app.url_path_for("book", book_id=3), "retired": retired}
