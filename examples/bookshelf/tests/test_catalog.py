from flask.cli import routes_command


def test_index_is_paginated(client):
    response = client.get("/?page=2")
    assert response.status_code == 200
    assert b"The Hobbit" in response.data
    assert b"page 2 of 2" in response.data


def test_unknown_book_renders_404_page(client):
    response = client.get("/books/999")
    assert response.status_code == 404
    assert b"Page not found" in response.data


def test_shelf_matches_category_prefix(client):
    response = client.get("/shelves/fiction/fantasy")
    assert b"The Hobbit" in response.data
    assert b"Dune" not in response.data


def test_health(client):
    assert client.get("/health").data == b"ok"


def test_logout_requires_login(client):
    response = client.get("/auth/logout")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_login_remembers_time(client):
    data = {"email": "reader@example.com", "password": "correct horse"}
    assert client.post("/auth/login", data=data).status_code == 302
    with client.session_transaction() as sess:
        assert "last_login" in sess


def test_routes_command_lists_blueprints(app):
    result = app.test_cli_runner().invoke(routes_command)
    assert "catalog.index" in result.output
    assert "api.book_reviews" in result.output
