from flask import Flask, redirect

app = Flask(__name__)


@app.get("/books")
def list_books():
    return ["Dune", "Emma"]


@app.get("/catalogue")
def old_catalogue():
    return redirect("/books", code=301)


def test_list_books():
    client = app.test_client()
    response = client.get("/books")
    assert response.status_code == 200
    assert response.get_json() == ["Dune", "Emma"]


def test_old_url_redirects():
    client = app.test_client()
    response = client.get("/catalogue")
    assert response.status_code == 301, response.status_code
    assert response.headers["Location"] == "/books"


def test_body_bytes():
    response = app.test_client().get("/books")
    assert response.data.startswith(b"[")
