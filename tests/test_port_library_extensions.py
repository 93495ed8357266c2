"""`migrate-audit port`: library-style extensions (port/libraries.py), whose object works without Flask once
made: `bcrypt = Bcrypt(app)` -> `Bcrypt()`, `ma = Marshmallow(app)` -> `Marshmallow()`, their calls and schemas
kept, `return schema.jsonify(obj)` -> `return schema.dump(obj)`; compared beside Flask on the same requests."""
from __future__ import annotations

from pathlib import Path

import pytest
from _port_support import ported_project, side_by_side, tried

from migrate_audit.port import port

BCRYPT = '''
from flask import Flask, abort, request
from flask_bcrypt import Bcrypt

app = Flask(__name__)
bcrypt = Bcrypt(app)
USERS = {}


@app.post("/register")
def register():
    data = request.get_json()
    USERS[data["username"]] = bcrypt.generate_password_hash(data["password"]).decode()
    return {"hash": USERS[data["username"]]}, 201


@app.post("/login")
def login():
    data = request.get_json()
    stored = data.get("hash") or USERS.get(data["username"])
    if stored is None or not bcrypt.check_password_hash(stored, data["password"]):
        abort(401)
    return {"username": data["username"]}
'''


@pytest.mark.parametrize("config, made, prefix", [
    ("", "bcrypt = Bcrypt()\n", "$2b$12$"),  # the defaults init_app would have read: 12 rounds, 2b
    # the keys init_app reads, from the settings that hold Flask's config
    ('app.config["BCRYPT_LOG_ROUNDS"] = 5\napp.config["BCRYPT_HASH_PREFIX"] = "2a"\n',
     "bcrypt = Bcrypt(SimpleNamespace(config=settings))\n", "$2a$05$"),
])
def test_bcrypt_hashes_and_checks_as_flask_did(tmp_path: Path, config: str, made: str, prefix: str) -> None:
    pytest.importorskip("flask_bcrypt")
    folder, result = ported_project(tmp_path, BCRYPT.replace("bcrypt = Bcrypt(app)", config + "bcrypt = Bcrypt(app)"))
    text = result.after["app.py"]
    assert result.todos == [] and result.routes_ported == 2, result.todos
    assert made in text and "from flask_bcrypt import Bcrypt" in text and "Flask(" not in text
    flask, fastapi = side_by_side(tmp_path, folder, result, f"bcrypt_ext_{bool(config)}")
    hashes = {}
    for side, client in (("flask", flask), ("fastapi", fastapi)):
        answer = client.post("/register", json={"username": "ann", "password": "s3cret"})
        assert answer.status_code == 201
        hashes[side] = answer.json["hash"] if side == "flask" else answer.json()["hash"]
        assert hashes[side].startswith(prefix)
    for stored in hashes.values():  # each side checks the other's hash, right and wrong password alike
        for password, status in (("s3cret", 200), ("wrong", 401)):
            body = {"username": "ann", "password": password, "hash": stored}
            assert flask.post("/login", json=body).status_code == fastapi.post("/login", json=body).status_code == status
    body = {"username": "bob", "password": "x"}  # no hash: 401 on both
    assert flask.post("/login", json=body).status_code == fastapi.post("/login", json=body).status_code == 401


MARSHMALLOW = '''
import datetime
from dataclasses import dataclass

from flask import Flask, request
from flask_marshmallow import Marshmallow
from marshmallow import ValidationError

app = Flask(__name__)
ma = Marshmallow(app)


@dataclass
class Book:
    id: int
    title: str
    published: datetime.date
    internal_notes: str


BOOKS = [Book(1, "Dune", datetime.date(1965, 8, 1), "reprint due")]


class BookSchema(ma.Schema):
    id = ma.Integer(dump_only=True)
    title = ma.String(required=True)
    published = ma.Date(required=True)


book_schema = BookSchema()
books_schema = BookSchema(many=True)


@app.get("/books")
def list_books():
    return books_schema.jsonify(BOOKS)


@app.get("/books/<int:book_id>")
def book(book_id):
    return book_schema.jsonify(BOOKS[book_id - 1])


@app.get("/first")
def first():
    return book_schema.jsonify(BOOKS, many=True)


@app.get("/made")
def made():
    return book_schema.jsonify(BOOKS[0]), 203, {"X-Made": "yes"}


@app.post("/books")
def create_book():
    try:
        data = book_schema.load(request.get_json())
    except ValidationError as err:
        return err.messages, 400
    book = Book(id=len(BOOKS) + 1, internal_notes="", **data)
    BOOKS.append(book)
    return book_schema.dump(book), 201
'''


def test_marshmallow_schemas_dump_load_and_jsonify_as_flask_did(tmp_path: Path) -> None:
    pytest.importorskip("flask_marshmallow")
    folder, result = ported_project(tmp_path, MARSHMALLOW)
    text = result.after["app.py"]
    assert result.todos == [] and result.routes_ported == 5, result.todos
    assert "ma = Marshmallow()\n" in text and "return books_schema.dump(BOOKS)" in text
    assert "return book_schema.dump(BOOKS, many=True)" in text and "jsonify" not in text
    flask, fastapi = side_by_side(tmp_path, folder, result, "marshmallow_ext")
    requests = [("GET", "/books", None), ("GET", "/books/1", None), ("GET", "/first", None), ("GET", "/made", None),
                ("POST", "/books", {"title": "Kindred", "published": "1979-06-01"}),
                ("POST", "/books", {"title": "Kindred", "published": "not a date"}),
                ("POST", "/books", {"published": "1979-06-01", "internal_notes": "x"}), ("GET", "/books", None)]
    for method, path, body in requests:
        expected, got = flask.open(path, method=method, json=body), fastapi.request(method, path, json=body)
        assert (got.status_code, got.json()) == (expected.status_code, expected.json), (method, path, body)
        assert got.headers["content-type"] == expected.headers["content-type"]
        assert got.headers.get("x-made") == expected.headers.get("x-made")


def test_porting_again_changes_nothing(tmp_path: Path) -> None:
    for name, source in (("bcrypt", BCRYPT), ("marshmallow", MARSHMALLOW)):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "app.py").write_text(source, encoding="utf-8")
        once = port(str(folder)).after["app.py"]
        (folder / "app.py").write_text(once, encoding="utf-8")
        assert port(str(folder)).after.get("app.py", once) == once


@pytest.mark.parametrize("source, change, code, why", [
    (BCRYPT, ("bcrypt = Bcrypt(app)", 'app.config["BCRYPT_LOG_ROUNDS"] = 4\napp.config.from_pyfile("x.cfg")\n'
              "bcrypt = Bcrypt(app)"), "FMA389", "BCRYPT_* config keys are read by init_app from Flask's config"),
    (BCRYPT, ("bcrypt = Bcrypt(app)", 'app.config.from_prefixed_env(prefix="SHOP")\nbcrypt = Bcrypt(app)'), "FMA389",
     "BCRYPT_* config keys are read by init_app from Flask's config"),
    (BCRYPT, ("bcrypt = Bcrypt(app)", 'app.config.from_object("settings.Production")\nbcrypt = Bcrypt(app)'),
     "FMA389", "BCRYPT_* config keys are read by init_app from Flask's config"),
    (BCRYPT, ("bcrypt = Bcrypt(app)", "bcrypt = Bcrypt(app)\nbcrypt.init_app(app)"), "FMA389", ""),
    (MARSHMALLOW, ("    published = ma.Date(required=True)\n",
                   '    published = ma.Date(required=True)\n    url = ma.URLFor("book", values={"book_id": "<id>"})\n'),
     "FMA389", "ma.URLFor needs Flask's request or app context"),
    (MARSHMALLOW, ("from marshmallow import ValidationError", "from marshmallow import ValidationError\n"
                   "from flask_sqlalchemy import SQLAlchemy"), "FMA389", "Flask-SQLAlchemy's session"),
    (MARSHMALLOW, ("    return books_schema.jsonify(BOOKS)", "    response = books_schema.jsonify(BOOKS)\n"
                   "    response.headers['X-Count'] = '1'\n    return response"), "FMA387",
     "where a converted view returns it"),
    (MARSHMALLOW, ("    published = ma.Date(required=True)\n", "    published = ma.Date(required=True)\n"
                   "    price = ma.Decimal(dump_default=1)\n"), "FMA387", "not JSON types (Decimal fields)"),
])
def test_what_needs_flask_is_left(tmp_path: Path, source: str, change: tuple[str, str], code: str, why: str) -> None:
    changed = source.replace(*change)
    assert changed != source
    _, result = ported_project(tmp_path, changed)
    assert ("app.py", code) in result.todos
    sites = tried(tmp_path / "project")  # the reason, from the conversion the port tried
    left = [site for site in sites if site.code == code and not site.handled]
    assert any(why in site.reason for site in left), [site.reason for site in left]


def test_porting_twice_the_views_costs_about_twice_the_time(tmp_path: Path) -> None:
    """The extensions' steps are linear in the file (no walk of the module per jsonify or per object): N and 2N
    views that return schema.jsonify, the best of three CPU times each; about 2 when linear, 4 when quadratic."""
    from hostile import growth

    def source(count: int) -> str:
        views = "".join(f'\n\n@app.get("/b{i}")\ndef book_{i}():\n    return book_schema.jsonify(BOOKS[0])\n'
                        for i in range(count))
        return MARSHMALLOW + views

    n = 150
    for size in (n, 2 * n):
        (tmp_path / str(size)).mkdir()
        (tmp_path / str(size) / "app.py").write_text(source(size), encoding="utf-8")
        result = port(str(tmp_path / str(size)))
        assert result.todos == [] and result.routes_ported == size + 5  # the sizes measure real work
    ratio = growth(lambda size: port(str(tmp_path / str(size))), n)
    assert ratio < 3, f"porting {2 * n} views took {ratio:.1f} times as long as {n}: a step is not linear"


STAYING = '''\
from dataclasses import dataclass

from flask import Flask, abort, request
from flask_bcrypt import Bcrypt
from flask_marshmallow import Marshmallow

app = Flask(__name__)
app.config["BCRYPT_LOG_ROUNDS"] = 5
bcrypt = Bcrypt(app)
ma = Marshmallow(app)
USERS = {}


@dataclass
class Book:
    id: int
    title: str


class BookSchema(ma.Schema):
    id = ma.Integer()
    title = ma.String()


books_schema = BookSchema(many=True)


@app.post("/register")
def register():
    data = request.get_json()
    USERS[data["username"]] = bcrypt.generate_password_hash(data["password"]).decode()
    return {"hash": USERS[data["username"]]}, 201


@app.post("/login")
def login():
    data = request.get_json()
    if not bcrypt.check_password_hash(data["hash"], data["password"]):
        abort(401)
    return {"username": data["username"]}


@app.get("/books")
def books():
    return books_schema.jsonify([Book(1, "Dune")])


@app.cli.command("seed")  # a CLI command, left to people, keeps the app Flask and changes no answer
def seed():
    print("seeded")
'''


def test_views_using_the_objects_move_while_the_app_stays_flask(tmp_path: Path) -> None:
    """The app binding stays with the Flask app (Bcrypt(app) with its BCRYPT_* keys, Marshmallow(app)); the views
    that use the objects move to FastAPI, which imports the very objects from the Flask module (split.py), and
    main.py answers as the Flask app did."""
    pytest.importorskip("a2wsgi")
    import sys

    from fastapi.testclient import TestClient

    folder, out = tmp_path / "project", tmp_path / "out"
    folder.mkdir()
    (folder / "app.py").write_text(STAYING, encoding="utf-8")
    result = port(str(folder))
    assert result.routes_moved == 3, result.notes
    # in isort's order (constants, classes, then the rest: port/imports.py)
    assert "from app import USERS, Book, bcrypt, books_schema" in result.after["app_fastapi.py"]
    out.mkdir()
    for relpath, text in {"app.py": STAYING, **result.after}.items():
        (out / relpath).write_text(text, encoding="utf-8")

    def load(where: Path, name: str):  # type: ignore[no-untyped-def]
        for module in ("main", "app", "app_fastapi"):
            sys.modules.pop(module, None)
        sys.path.insert(0, str(where))
        try:
            return __import__(name)
        finally:
            sys.path.remove(str(where))
            for module in ("main", "app", "app_fastapi"):
                sys.modules.pop(module, None)

    flask, fastapi = load(folder, "app").app.test_client(), TestClient(load(out, "main").app)
    made = fastapi.post("/register", json={"username": "ann", "password": "s3cret"})
    assert made.status_code == 201 and made.json()["hash"].startswith("$2b$05$")  # the Flask app's BCRYPT_LOG_ROUNDS
    assert not made.content.endswith(b"\n")  # FastAPI answered it (Flask's JSON ends with a newline)
    for password, status in (("s3cret", 200), ("wrong", 401)):
        body = {"username": "ann", "password": password, "hash": made.json()["hash"]}
        assert flask.post("/login", json=body).status_code == fastapi.post("/login", json=body).status_code == status
    assert fastapi.get("/books").json() == flask.get("/books").json == [{"id": 1, "title": "Dune"}]
