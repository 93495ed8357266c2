import io
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
    assert response.json() == ["Dune", "Emma"]


def test_body_bytes():
    response = TestClient(app).get("/books")
    assert response.content.startswith(b"[")


def test_get_json():
    assert TestClient(app).get("/books").json() == ["Dune", "Emma"]


def test_get_data_as_text():
    assert TestClient(app).get("/books").text.startswith("[")


def test_status_line():
    assert TestClient(app).get("/books").status_code == 200


def test_repeated_header():
    assert TestClient(app).get("/books").headers.get_list("X-Tag") == ["classic", "novel"]


def test_mimetype_and_location():
    client = TestClient(app, follow_redirects=False)
    assert client.get("/books").headers["content-type"] == "application/json"
    assert client.get("/catalogue").headers["location"] == "/books"


def test_cookie():
    client = TestClient(app)
    client.cookies.set("theme", "dark")
    assert client.get("/theme").json() == {"theme": "dark"}


def test_file_upload():
    client = TestClient(app)
    response = client.post("/upload", data={"title": "scan"}, files={"file": ("a.zip", io.BytesIO(b"zip!"))})
    assert response.json() == {"title": "scan", "name": "a.zip", "size": 4}


def test_raw_body_with_content_type():
    client = TestClient(app)
    response = client.post("/notes", content="remember", headers={"content-type": "text/plain"})
    assert response.json() == {"type": "text/plain", "length": 8}


def test_json_body_as_data():
    client = TestClient(app)
    response = client.post("/echo", json={"t": 1})
    assert response.json() == {"type": "application/json", "body": {"t": 1}}

def test_base_url():
    assert TestClient(app).get("/where").json() == {"url": "http://testserver/where"}

def test_query_string():
    assert TestClient(app).get("/search", params={"q": "dune"}).json() == {"q": "dune"}


def test_client_address():
    response = TestClient(app, client=("10.0.0.1", 50000)).get("/whoami")
    assert response.json() == {"address": "10.0.0.1"}


def test_delete_with_body():
    response = TestClient(app).request("DELETE", "/books/1", json={"reason": "duplicate"})
    assert response.json() == {"deleted": 1, "reason": "duplicate"}


def test_logged_in_session():
    app.dependency_overrides[current_user_id] = lambda: 7
    try:
        assert TestClient(app).get("/me").json() == {"user": 7}
    finally:
        app.dependency_overrides.clear()


class TokenClient(TestClient):
    """httpx's client, which TestClient derives from, sends every request through `request`."""

    def request(self, method, url, **kwargs):
        kwargs["headers"] = {**(kwargs.get("headers") or {}), "X-Token": "secret"}
        return super().request(method, url, **kwargs)


def test_client_subclass():
    assert TokenClient(app).get("/token").json() == {"token": "secret"}
