from fastapi.testclient import TestClient

client = TestClient(app, raise_server_exceptions=False)


def status(path):
    return client.get(path).status_code


def serves_secret(path):
    return "SECRET_KEY" in client.get(path).text
