from contextvars import ContextVar
from typing import Annotated

from fastapi import Depends, FastAPI, Header

current_tenant: ContextVar[str] = ContextVar("current_tenant", default="public")

BOOKS = {"public": ["Dune"], "acme": ["Emma", "Ulysses"]}


def visible_books() -> list[str]:
    return BOOKS.get(current_tenant.get(), [])


def load_tenant(x_tenant: Annotated[str, Header()] = "public"):
    # a def dependency runs in a worker thread on a copy of the context: this set() is lost
    current_tenant.set(x_tenant)


app = FastAPI(dependencies=[Depends(load_tenant)])


@app.get("/books")
def list_books():
    return {"tenant": current_tenant.get(), "books": visible_books()}
