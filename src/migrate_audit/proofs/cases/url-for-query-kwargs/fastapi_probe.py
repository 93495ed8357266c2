from fastapi.testclient import TestClient

client = TestClient(app, base_url="http://localhost")


def get(path):
    response = client.get(path)
    return {"status": response.status_code, "json": response.json()}
