client = app.test_client()


def get(path):
    response = client.get(path)
    return {"status": response.status_code, "json": response.get_json()}
