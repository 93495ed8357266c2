import re

from fastapi.testclient import TestClient


def submit(with_token):
    client = TestClient(app)
    page = client.get("/books/new").text
    form = {"title": "Dune"}
    if with_token:
        form["csrf_token"] = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/books", data=form)
    return [response.status_code, response.text if response.status_code == 200 else None]
