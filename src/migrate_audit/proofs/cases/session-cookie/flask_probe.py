def cookie_issued_by_flask(data):
    return app.session_interface.get_signing_serializer(app).dumps(data)


def visit_twice_with(cookie):
    """GET /me twice, the second time with the session cookie the first answer set, if it set one."""
    answers = []
    for _ in range(2):
        client = app.test_client()
        client.set_cookie("session", cookie)
        answers.append(client.get("/me").get_json())
        cookie = client.get_cookie("session").value
    return answers


def sets_a_new_cookie(cookie):
    client = app.test_client()
    client.set_cookie("session", cookie)
    client.get("/me")
    return client.get_cookie("session").value != cookie
