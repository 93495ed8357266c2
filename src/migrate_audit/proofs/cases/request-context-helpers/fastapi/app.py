from contextvars import ContextVar

from fastapi import FastAPI, Request

current_request: ContextVar[Request | None] = ContextVar("current_request", default=None)
app = FastAPI()


@app.middleware("http")
async def remember_request(request: Request, call_next):
    token = current_request.set(request)
    try:
        return await call_next(request)
    finally:
        current_request.reset(token)


def audit_source():
    request = current_request.get()
    return f"web {request.url.path}" if request is not None else "batch job"


@app.get("/books/{book_id}")
def book(book_id: int):
    return {"source": audit_source()}
