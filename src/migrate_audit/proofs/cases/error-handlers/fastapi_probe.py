from fastapi.testclient import TestClient


def get(path):
    # The handler's response is sent; then the exception goes on to the server (see the last call).
    response = TestClient(app, raise_server_exceptions=False).get(path)
    return [response.status_code, response.json()]
