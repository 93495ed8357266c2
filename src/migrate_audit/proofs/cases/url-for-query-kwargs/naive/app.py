from fastapi import FastAPI, Request

app = FastAPI()
BOOKS = ["Dune", "Solaris", "Kindred", "Neuromancer", "Ubik"]


@app.get("/books")
def list_books(request: Request, page: int = 1):
    return {
        "books": BOOKS[(page - 1) * 2:page * 2],
        "next": str(request.url_for("list_books", page=page + 1)),
    }
