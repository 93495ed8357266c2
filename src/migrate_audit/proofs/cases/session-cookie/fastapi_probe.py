from fastapi.testclient import TestClient
from flask import Flask


def cookie_issued_by_flask(data):
    before = Flask("before_the_cutover")
    before.secret_key = SECRET_KEY
    return before.session_interface.get_signing_serializer(before).dumps(data)


def visit_twice_with(cookie):
    """GET /me twice, the second time with the session cookie the first answer set, if it set one."""
    answers = []
    for _ in range(2):
        response = TestClient(app, base_url="http://localhost").get("/me", headers={"Cookie": f"session={cookie}"})
        answers.append(response.json())
        cookie = response.cookies.get("session", cookie)
    return answers


def sets_a_new_cookie(cookie):
    response = TestClient(app, base_url="http://localhost").get("/me", headers={"Cookie": f"session={cookie}"})
    return "session" in response.cookies
