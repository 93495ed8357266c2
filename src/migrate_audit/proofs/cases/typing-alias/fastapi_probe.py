from fastapi.testclient import TestClient

client = TestClient(app, raise_server_exceptions=False)


def answer(path):
    response = client.get(path)
    json = response.json() if response.headers.get("content-type") == "application/json" else None
    return {"status": response.status_code, "content-type": response.headers.get("content-type"), "json": json}
