"""A view using Werkzeug's plain helpers (FMA509: `secure_filename`, `check_password_hash`, imported at the top of
its Flask module) moves to FastAPI on its own (port/split.py `_plain_helpers`): they work on plain values, without a
request or app, so the copy, importing the same objects from the Flask module, answers as Flask did. Another name of
the same import line (`import_string`: the port does not judge each of Werkzeug's names) still needs Flask."""
from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from _tools import load_module
from migrate_audit.port import port

pytest.importorskip("a2wsgi")

APP = '''
from flask import Flask

from files import files

app = Flask(__name__)
app.register_blueprint(files, url_prefix="/files")


@app.cli.command("seed")
def seed():
    print("seeded")
'''

FILES = '''
from flask import Blueprint, request
from werkzeug.security import check_password_hash as checked
from werkzeug.utils import import_string, secure_filename

files = Blueprint("files", __name__)
STORED = "pbkdf2:sha256:1000$q4VsrLu5TkyaIFeU$e818da6ee780569ea6eac21b7a691fba14bf15c4fd5e7de1c7d010daf929b610"


@files.post("/raw")
def raw():
    return {"size": len(request.stream.read())}


@files.get("/name")
def name():
    given = request.args.get("f", "")
    return {"safe": secure_filename(given), "ok": checked(STORED, request.args.get("p", ""))}

'''

MODULES = ("main", "app", "files", "files_fastapi", "flask_url_fallback")


def _forget() -> None:
    for module in MODULES:
        sys.modules.pop(module, None)


def _load(folder: Path, module: str):  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(folder))
    try:
        return load_module(folder / f"{module}.py", module).app
    finally:
        sys.path.remove(str(folder))


def test_plain_werkzeug_helpers_move_with_the_view(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from migrate_audit.port.writer import write

    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "app.py").write_text(textwrap.dedent(APP), encoding="utf-8")
    (folder / "files.py").write_text(textwrap.dedent(FILES), encoding="utf-8")
    result = port(str(folder))
    assert result.routes_moved == 1, result.notes  # name
    assert "from files import STORED, checked, secure_filename\n" in result.after["files_fastapi.py"]  # the same objects
    write(str(folder), result.after, str(tmp_path / "out"))
    try:
        flask = _load(folder, "app").test_client()
    finally:
        _forget()
    try:
        fastapi = TestClient(_load(tmp_path / "out", "main"))
        for query in ("?f=../../etc/passwd&p=s3cret", "?f=My cover.JPG&p=no", "?f=%C3%A9t%C3%A9 .png", ""):
            expected, got = flask.get("/files/name" + query), fastapi.get("/files/name" + query)
            assert (got.status_code, got.json()) == (expected.status_code, expected.get_json()), query
        assert fastapi.get("/files/name?f=../../etc/passwd&p=s3cret").json() == {"safe": "etc_passwd", "ok": True}
    finally:
        _forget()


def test_only_the_plain_helpers_of_an_import_line_need_no_flask() -> None:
    from ast_grep_py import SgRoot

    from migrate_audit.port.split import _plain_helpers

    class Lines:  # the one PortedFile method _plain_helpers reads: no finding on the line
        def sites_in(self, node):  # type: ignore[no-untyped-def]
            return []

    statement = SgRoot("from werkzeug.utils import import_string, secure_filename as clean\n", "python").root().children()[0]
    assert _plain_helpers(Lines(), statement) == {"clean"}  # type: ignore[arg-type]
    statement = SgRoot("from flask import Markup, request\n", "python").root().children()[0]
    assert _plain_helpers(Lines(), statement) == {"Markup"}  # type: ignore[arg-type]
