from flask import Flask, g, request
from werkzeug.local import LocalProxy

app = Flask(__name__)
current_tenant = LocalProxy(lambda: g.tenant)

BOOKS = {"public": ["Dune"], "acme": ["Emma", "Ulysses"]}


def visible_books() -> list[str]:
    # deep in the service layer: no request passed around
    return BOOKS.get(current_tenant, [])


@app.before_request
def load_tenant():
    g.tenant = request.headers.get("X-Tenant", "public")


@app.get("/books")
def list_books():
    return {"tenant": str(current_tenant), "books": visible_books()}
