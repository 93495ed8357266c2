from fastapi import FastAPI
from fastapi.responses import StreamingResponse

app = FastAPI()

BOOKS = ["Dune", "Emma", "Ulysses", "Beloved"]


@app.get("/books/export.csv")
def export_books(limit: int = 2):
    def generate():
        yield "id,title\n"
        for i, title in enumerate(BOOKS[:limit], start=1):
            yield f"{i},{title}\n"

    return StreamingResponse(generate(), media_type="text/csv")
