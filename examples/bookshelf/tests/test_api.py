def test_list_books(client):
    body = client.get("/api/books").get_json()
    assert body["total"] == 3
    assert body["items"][0]["_links"]["self"] == "/api/books/1"


def test_missing_book_is_json_404(client):
    response = client.get("/api/books/999")
    assert response.status_code == 404
    assert response.get_json() == {"error": "not found"}


def test_create_book(reader_client):
    payload = {"isbn": "9780140449136", "title": "Crime and Punishment",
               "author": "Fyodor Dostoevsky", "price_cents": 1250}
    response = reader_client.post("/api/books", json=payload)
    assert response.status_code == 201
    assert response.get_json()["title"] == "Crime and Punishment"


def test_create_book_validation_error(reader_client):
    response = reader_client.post("/api/books", json={"isbn": "123", "title": ""})
    assert response.status_code == 422
    assert {"isbn", "author"} <= set(response.get_json()["errors"])


def test_search(client):
    assert client.get("/api/search?per_page=500").status_code == 400
    items = client.get("/api/search?author=tolkien").get_json()["items"]
    assert [item["title"] for item in items] == ["The Hobbit"]


def test_post_and_list_reviews(reader_client):
    response = reader_client.post("/api/books/1/reviews", json={"rating": 5, "body": "Spice!"})
    assert response.status_code == 201
    reviews = reader_client.get("/api/books/1/reviews").get_json()
    assert [r["rating"] for r in reviews] == [5]


def test_partner_feed(client):
    response = client.get("/partner/v1/books?author=Herbert")
    assert response.get_json()[0]["isbn"] == "9780441013593"
