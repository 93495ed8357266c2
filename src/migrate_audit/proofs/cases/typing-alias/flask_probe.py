client = app.test_client()


def answer(path):
    response = client.get(path)
    return {"status": response.status_code, "content-type": response.headers.get("content-type"),
            "json": response.get_json(silent=True)}
