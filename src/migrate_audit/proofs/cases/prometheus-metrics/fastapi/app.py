from fastapi import FastAPI
from prometheus_client import CollectorRegistry
from prometheus_fastapi_instrumentator import Instrumentator

app = FastAPI()


@app.get("/books/{book_id}")
def get_book(book_id: int):
    return {"id": book_id}


# The exporter's status labels ("200", not "2xx"), and its scrapes of /metrics not counted as requests.
# (A registry of its own only because the proof runs both apps in one process.)
Instrumentator(should_group_status_codes=False, excluded_handlers=["/metrics"],
               registry=CollectorRegistry()).instrument(app).expose(app)
