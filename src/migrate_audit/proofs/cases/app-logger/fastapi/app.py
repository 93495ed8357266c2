import logging

from fastapi import FastAPI
from fastapi.responses import JSONResponse

logger = logging.getLogger(__name__)

app = FastAPI()
BOOKS = {"dune": "Dune"}


@app.get("/books/{slug}")
def show_book(slug: str):
    if slug not in BOOKS:
        logger.warning("unknown book %r", slug)
        return JSONResponse({"error": "not found"}, status_code=404)
    logger.info("served %s", slug)
    return {"title": BOOKS[slug]}
