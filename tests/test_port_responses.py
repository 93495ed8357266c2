"""`migrate-audit port`: Werkzeug Response objects built in views, rewritten as Starlette's where the body,
status, headers and content type come out the same, and left where they would not."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from migrate_audit.port import port


def _ported(tmp_path: Path, source: str) -> str:
    folder = tmp_path / "project"
    folder.mkdir(exist_ok=True)
    (folder / "app.py").write_text(textwrap.dedent(source), encoding="utf-8")
    return port(str(folder)).after.get("app.py", source)


def _flat(text: str) -> str:
    return " ".join(text.replace("#   ", " ").split())


def test_a_returned_response_takes_starlettes_names(tmp_path: Path) -> None:
    text = _ported(tmp_path, '''\
        from flask import Flask, Response

        app = Flask(__name__)


        @app.get("/page")
        def page():
            return Response("<p>hi</p>", 201, {"X-A": "1"})


        @app.get("/lines")
        def lines():
            rows = "\\n".join(["a", "b"])
            return Response(rows, mimetype="text/plain")
        ''')
    assert 'return Response(content="<p>hi</p>", status_code=201, headers={"X-A": "1"}, media_type="text/html")' in text
    assert 'return Response(content=rows, media_type="text/plain")' in text
    assert "from fastapi import FastAPI, Response" in text and "flask" not in text and "TODO" not in text


@pytest.mark.parametrize("call, why", [
    ("Response(rows)", "not plainly a str or bytes"),
    ('Response("x", mimetype="application/xml")', "Werkzeug adds a charset to application/xml"),
    ('Response("x", content_type="text/plain")', "Starlette adds a charset to text/*"),
    ('Response("x", status="201 CREATED")', "not an integer literal"),
])
def test_a_response_that_would_answer_otherwise_is_left(tmp_path: Path, call: str, why: str) -> None:
    text = _ported(tmp_path, f'''\
        from flask import Flask, Response

        app = Flask(__name__)


        rows = ["a", "b"]


        @app.get("/x")
        def x():
            return {call}
        ''')
    assert f"return {call}" in text and why in _flat(text)
    assert "from flask import Response" in text


def test_flasks_response_used_elsewhere_keeps_its_name(tmp_path: Path) -> None:
    text = _ported(tmp_path, '''\
        from flask import Flask, Response

        app = Flask(__name__)


        def is_response(value):
            return isinstance(value, Response)


        @app.get("/x")
        def x():
            return Response("x")
        ''')
    assert 'return Response("x")' in text and "also used otherwise in this file, as Flask's" in _flat(text)


def test_werkzeug_exceptions_raised_become_fastapis_with_their_status(tmp_path: Path) -> None:
    text = _ported(tmp_path, '''\
        from flask import Flask
        from werkzeug.exceptions import Conflict, Gone, NotFound

        app = Flask(__name__)


        def find(book_id):
            if book_id != 1:
                raise NotFound(description=f"no book {book_id}")
            return "Dune"


        @app.get("/books/<int:book_id>")
        def book(book_id):
            if book_id == 3:
                raise Gone
            return {"title": find(book_id)}


        @app.put("/books/<int:book_id>")
        def replace(book_id):
            try:
                find(book_id)
            except Conflict:
                return {}
            raise Conflict("checked out")
        ''')
    assert 'raise HTTPException(status_code=404, detail=f"no book {book_id}")' in text
    assert "raise HTTPException(status_code=410)" in text
    assert 'raise Conflict("checked out")' in text  # `except Conflict:` would no longer catch it
    assert "from werkzeug.exceptions import Conflict" in text
