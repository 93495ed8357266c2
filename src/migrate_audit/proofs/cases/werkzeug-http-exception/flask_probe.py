client = app.test_client()


def answer(method, path):
    response = client.open(path, method=method)
    return {"status": response.status_code, "content-type": response.headers.get("content-type")}
