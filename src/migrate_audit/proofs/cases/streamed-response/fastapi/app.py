from collections.abc import Iterator

from fastapi import FastAPI
from fastapi.responses import StreamingResponse

app = FastAPI()

BOOKS = ["Dune", "Emma", "Ulysses", "Beloved"]


class CSVStreamingResponse(StreamingResponse):
    media_type = "text/csv"


@app.get("/books/export.csv", response_class=CSVStreamingResponse)
def export_books(limit: int = 2) -> Iterator[str]:
    yield "id,title\n"
    for i, title in enumerate(BOOKS[:limit], start=1):
        yield f"{i},{title}\n"
