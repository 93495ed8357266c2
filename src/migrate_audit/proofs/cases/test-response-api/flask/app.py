import io
import json

from flask import Flask, jsonify, make_response, redirect, request, session
from flask.testing import FlaskClient

app = Flask(__name__)
app.secret_key = "proof"


@app.get("/books")
def list_books():
    response = make_response(jsonify(["Dune", "Emma"]))
    response.headers.add("X-Tag", "classic")
    response.headers.add("X-Tag", "novel")
    return response


@app.get("/catalogue")
def old_catalogue():
    return redirect("/books")


@app.post("/upload")
def upload():
    upload = request.files["file"]
    return {"title": request.form["title"], "name": upload.filename, "size": len(upload.read())}


@app.post("/notes")
def add_note():
    return {"type": request.mimetype, "length": len(request.get_data())}


@app.post("/echo")
def echo():
    return {"type": request.mimetype, "body": request.get_json()}

@app.get("/where")
def where():
    return {"url": request.url}

@app.get("/search")
def search():
    return {"q": request.args["q"]}


@app.get("/whoami")
def whoami():
    return {"address": request.remote_addr}


@app.delete("/books/<int:book_id>")
def delete_book(book_id):
    return {"deleted": book_id, "reason": request.get_json()["reason"]}


@app.get("/theme")
def theme():
    return {"theme": request.cookies.get("theme", "light")}


@app.get("/me")
def me():
    return {"user": session.get("user_id")}


@app.get("/token")
def token():
    return {"token": request.headers.get("X-Token")}


def test_json_property():
    response = app.test_client().get("/books")
    assert response.json == ["Dune", "Emma"]


def test_body_bytes():
    response = app.test_client().get("/books")
    assert response.data.startswith(b"[")


def test_get_json():
    assert app.test_client().get("/books").get_json() == ["Dune", "Emma"]


def test_get_data_as_text():
    assert app.test_client().get("/books").get_data(as_text=True).startswith("[")


def test_status_line():
    assert app.test_client().get("/books").status == "200 OK"


def test_repeated_header():
    assert app.test_client().get("/books").headers.getlist("X-Tag") == ["classic", "novel"]


def test_mimetype_and_location():
    client = app.test_client()
    assert client.get("/books").mimetype == "application/json"
    assert client.get("/catalogue").location == "/books"


def test_cookie():
    client = app.test_client()
    client.set_cookie("theme", "dark")
    assert client.get("/theme").json == {"theme": "dark"}


def test_file_upload():
    client = app.test_client()
    response = client.post("/upload", data={"title": "scan", "file": (io.BytesIO(b"zip!"), "a.zip")})
    assert response.json == {"title": "scan", "name": "a.zip", "size": 4}


def test_raw_body_with_content_type():
    client = app.test_client()
    response = client.post("/notes", data="remember", content_type="text/plain")
    assert response.json == {"type": "text/plain", "length": 8}


def test_json_body_as_data():
    client = app.test_client()
    response = client.post("/echo", data=json.dumps({"t": 1}), content_type="application/json")
    assert response.json == {"type": "application/json", "body": {"t": 1}}

def test_base_url():
    assert app.test_client().get("/where").json == {"url": "http://localhost/where"}

def test_query_string():
    assert app.test_client().get("/search", query_string={"q": "dune"}).json == {"q": "dune"}


def test_client_address():
    response = app.test_client().get("/whoami", environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert response.json == {"address": "10.0.0.1"}


def test_delete_with_body():
    response = app.test_client().delete("/books/1", json={"reason": "duplicate"})
    assert response.json == {"deleted": 1, "reason": "duplicate"}


def test_logged_in_session():
    client = app.test_client()
    with client.session_transaction() as saved:
        saved["user_id"] = 7
    assert client.get("/me").json == {"user": 7}


class TokenClient(FlaskClient):
    """Every request of the tests carries the token: Werkzeug's client sends each through `open`."""

    def open(self, *args, **kwargs):
        kwargs["headers"] = {**(kwargs.get("headers") or {}), "X-Token": "secret"}
        return super().open(*args, **kwargs)


def test_client_subclass():
    assert TokenClient(app).get("/token").json == {"token": "secret"}
