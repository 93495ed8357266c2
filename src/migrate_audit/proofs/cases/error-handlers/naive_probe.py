from fastapi.testclient import TestClient


def get(path):
    response = TestClient(app, raise_server_exceptions=False).get(path)
    return [response.status_code, response.json()]
