from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from fastapi.testclient import TestClient

app = FastAPI()


@app.get("/books")
def list_books():
    return ["Dune", "Emma"]


@app.get("/catalogue")
def old_catalogue():
    return RedirectResponse("/books", status_code=301)


def test_list_books():
    client = TestClient(app)
    response = client.get("/books")
    assert response.status_code == 200
    assert response.json() == ["Dune", "Emma"]


def test_old_url_redirects():
    client = TestClient(app)
    response = client.get("/catalogue")
    assert response.status_code == 301, response.status_code
    assert response.headers["Location"] == "/books"


def test_body_bytes():
    response = TestClient(app).get("/books")
    assert response.content.startswith(b"[")
