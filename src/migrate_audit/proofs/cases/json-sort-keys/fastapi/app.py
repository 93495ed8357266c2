import json
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from pydantic import BaseModel


class SortedJSONResponse(JSONResponse):
    def render(self, content: Any) -> bytes:
        return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


app = FastAPI(default_response_class=SortedJSONResponse)


@app.get("/books/1")
def book():
    return {"title": "Dune", "author": {"name": "Frank Herbert", "born": 1920}, "year": 1965, "available": True}

class Summary(BaseModel):
    title: str
    author: str


@app.get("/books/2/summary")
def summary() -> Summary:  # a response model is sorted by the same class
    return Summary(title="Solaris", author="Stanisław Lem")
