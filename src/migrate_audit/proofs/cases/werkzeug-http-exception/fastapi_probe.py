from fastapi.testclient import TestClient

client = TestClient(app, raise_server_exceptions=False)


def answer(method, path):
    response = client.request(method, path)
    return {"status": response.status_code, "content-type": response.headers.get("content-type")}
