import io
import json
from typing import Annotated

from fastapi import Depends, FastAPI, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.testclient import TestClient
from starlette.middleware.sessions import SessionMiddleware

app = FastAPI()
app.add_middleware(SessionMiddleware, secret_key="proof")


@app.get("/books")
def list_books():
    response = JSONResponse(["Dune", "Emma"])
    response.headers.append("X-Tag", "classic")
    response.headers.append("X-Tag", "novel")
    return response


@app.get("/catalogue")
def old_catalogue():
    return RedirectResponse("/books", status_code=302)


@app.post("/upload")
async def upload(title: Annotated[str, Form()], file: Annotated[UploadFile, File()]):
    return {"title": title, "name": file.filename, "size": len(await file.read())}


@app.post("/notes")
async def add_note(request: Request):
    return {"type": request.headers["content-type"], "length": len(await request.body())}


@app.post("/echo")
async def echo(request: Request):
    return {"type": request.headers["content-type"], "body": await request.json()}

@app.get("/where")
def where(request: Request):
    return {"url": str(request.url)}

@app.get("/search")
def search(q: str):
    return {"q": q}


@app.get("/whoami")
def whoami(request: Request):
    return {"address": request.client.host}


@app.delete("/books/{book_id}")
async def delete_book(book_id: int, request: Request):
    return {"deleted": book_id, "reason": (await request.json())["reason"]}


@app.get("/theme")
def theme(request: Request):
    return {"theme": request.cookies.get("theme", "light")}


def current_user_id(request: Request):
    return request.session.get("user_id")


@app.get("/me")
def me(user_id: Annotated[int | None, Depends(current_user_id)]):
    return {"user": user_id}


@app.get("/token")
def token(request: Request):
    return {"token": request.headers.get("x-token")}


def test_json_property():
    response = TestClient(app).get("/books")
    assert response.json == ["Dune", "Emma"]


def test_body_bytes():
    response = TestClient(app).get("/books")
    assert response.data.startswith(b"[")


def test_get_json():
    assert TestClient(app).get("/books").get_json() == ["Dune", "Emma"]


def test_get_data_as_text():
    assert TestClient(app).get("/books").get_data(as_text=True).startswith("[")


def test_status_line():
    assert TestClient(app).get("/books").status == "200 OK"


def test_repeated_header():
    assert TestClient(app).get("/books").headers.getlist("X-Tag") == ["classic", "novel"]


def test_mimetype_and_location():
    client = TestClient(app)
    assert client.get("/books").mimetype == "application/json"
    assert client.get("/catalogue").location == "/books"


def test_cookie():
    client = TestClient(app)
    client.set_cookie("theme", "dark")
    assert client.get("/theme").json == {"theme": "dark"}


def test_file_upload():
    client = TestClient(app)
    response = client.post("/upload", data={"title": "scan", "file": (io.BytesIO(b"zip!"), "a.zip")})
    assert response.json == {"title": "scan", "name": "a.zip", "size": 4}


def test_raw_body_with_content_type():
    client = TestClient(app)
    response = client.post("/notes", data="remember", content_type="text/plain")
    assert response.json == {"type": "text/plain", "length": 8}


def test_json_body_as_data():
    client = TestClient(app)
    response = client.post("/echo", data=json.dumps({"t": 1}), content_type="application/json")
    assert response.json == {"type": "application/json", "body": {"t": 1}}

def test_base_url():
    # `json()` as FMA520 says, so that only the base URL is left as the Flask test wrote it.
    assert TestClient(app).get("/where").json() == {"url": "http://localhost/where"}

def test_query_string():
    assert TestClient(app).get("/search", query_string={"q": "dune"}).json == {"q": "dune"}


def test_client_address():
    response = TestClient(app).get("/whoami", environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert response.json == {"address": "10.0.0.1"}


def test_delete_with_body():
    response = TestClient(app).delete("/books/1", json={"reason": "duplicate"})
    assert response.json == {"deleted": 1, "reason": "duplicate"}


def test_logged_in_session():
    client = TestClient(app)
    with client.session_transaction() as saved:
        saved["user_id"] = 7
    assert client.get("/me").json == {"user": 7}


class TokenClient(TestClient):
    """The Flask override kept: httpx's client never calls `open`, so no request carries the token."""

    def open(self, *args, **kwargs):
        kwargs["headers"] = {**(kwargs.get("headers") or {}), "X-Token": "secret"}
        return super().open(*args, **kwargs)


def test_client_subclass():
    assert TokenClient(app).get("/token").json() == {"token": "secret"}
