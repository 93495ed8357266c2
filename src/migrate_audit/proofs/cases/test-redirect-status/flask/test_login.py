from app import app

client = app.test_client()


def test_login_redirects_to_the_welcome_page():
    response = client.post("/login", data={"user": "ada"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/welcome/ada"
