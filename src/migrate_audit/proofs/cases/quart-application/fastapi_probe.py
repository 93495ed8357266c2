from fastapi.testclient import TestClient


def send(method, path, **options):
    response = TestClient(app).request(method, path, **options)
    return [response.status_code, response.headers["content-type"], response.json()]
