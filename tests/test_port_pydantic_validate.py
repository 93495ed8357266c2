"""`migrate-audit port`: Flask-Pydantic's `@validate()` -> the decorator the port writes (port/pydantic_validate.py).
Checked against Flask-Pydantic itself: the same requests get the same status, media type and body (JSON compared
as JSON, pages as text), invalid input included."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from _port_support import bridged_sides
from migrate_audit.port import port
from migrate_audit.port.pydantic_validate import BRIDGE, FILE, MODULE

pytest.importorskip("fastapi")
pytest.importorskip("flask_pydantic")

APP = '''\
from flask import Flask
from flask_pydantic import validate
from pydantic import BaseModel, Field

app = Flask(__name__)


class BookQuery(BaseModel):
    limit: int = 10
    tags: list[str] = []
    author: str | None = None


class BookIn(BaseModel):
    title: str
    pages: int = Field(gt=0)


class BookOut(BaseModel):
    id: int
    title: str
    pages: int
    subtitle: str | None = None


@app.get("/books")
@validate()
def list_books(query: BookQuery):
    return {"limit": query.limit, "tags": query.tags, "author": query.author}


@app.post("/books")
@validate(on_success_status=201, exclude_none=True)
def create_book(body: BookIn):
    return BookOut(id=1, **body.model_dump())


@app.put("/books/<int:book_id>")
@validate()
async def replace_book(book_id, body: BookIn, query: BookQuery):
    return BookOut(id=book_id, subtitle=query.author, **body.model_dump())


@app.get("/all")
@validate(response_many=True)
def all_books():
    return [BookOut(id=1, title="Dune", pages=412), BookOut(id=2, title="Emma", pages=474)]
'''


@pytest.fixture
def sides(tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    yield from bridged_sides(tmp_path, monkeypatch, APP, "pydantic", (MODULE,))


def test_the_port_keeps_validate_from_the_bridge(sides) -> None:  # type: ignore[no-untyped-def]
    _, _, result = sides
    assert result.todos == [] and result.routes_ported == result.routes == 4, result.notes
    assert result.after[FILE] == BRIDGE and "from flask_pydantic_bridge import validate" in result.after["app.py"]


def _seen(response) -> tuple:  # type: ignore[no-untyped-def,type-arg]
    flask = hasattr(response, "get_data")
    media = response.headers.get("Content-Type", "").split(";")[0]
    text = response.get_data(as_text=True) if flask else response.text
    return response.status_code, media, (response.get_json() if flask else response.json()) \
        if media == "application/json" else text


@pytest.mark.parametrize("method, path, options", [
    ("get", "/books", {}), ("get", "/books?limit=5&author=le%20guin&tags=a&tags=b", {}),
    ("get", "/books?limit=many&limit=3", {}), ("get", "/books?limit=-&tags=x", {}),
    ("post", "/books", {"json": {"title": "Dune", "pages": 412}}),
    ("post", "/books", {"json": {"title": "Dune", "pages": 0}}), ("post", "/books", {"json": {"pages": "x"}}),
    ("post", "/books", {"data": "{bad", "headers": {"Content-Type": "application/json"}}),
    ("post", "/books", {"data": "title=Dune", "headers": {"Content-Type": "application/x-www-form-urlencoded"}}),
    ("put", "/books/7?author=me", {"json": {"title": "Dune", "pages": 412}}),
    ("put", "/books/7?limit=x", {"json": {"title": "Dune", "pages": -1}}),
    ("get", "/all", {}),
])
def test_answers_as_flask_pydantic(sides, method: str, path: str, options: dict) -> None:  # type: ignore[no-untyped-def,type-arg]
    from fastapi.testclient import TestClient

    flask_app, ported_app, _ = sides
    flask_answer = getattr(flask_app.test_client(), method)(path, **options)
    fastapi_answer = getattr(TestClient(ported_app), method)(path, **({"content": options["data"], **{
        k: v for k, v in options.items() if k != "data"}} if "data" in options else options))
    assert _seen(flask_answer) == _seen(fastapi_answer)


@pytest.mark.parametrize("change", ["@validate(query=BookQuery)\ndef list_books(query: BookQuery)",
                                    "@validate()\ndef list_books(query: BookQuery, page: int = 1)",
                                    "@validate()\ndef list_books(query: BookQuery):\n    return BookOut(id=1, title='D', "
                                    "pages=1), 202\n\n\ndef unused(query: BookQuery)"])
def test_what_the_bridge_has_not_stays_flask_pydantic(tmp_path: Path, change: str) -> None:
    source = textwrap.dedent(APP).replace("@validate()\ndef list_books(query: BookQuery)", change)
    assert change in source
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(source, encoding="utf-8")
    result = port(str(folder))
    assert FILE not in result.after and result.routes_ported < result.routes
    assert any("Flask-Pydantic's" in note for note in result.notes), result.notes
