from fastapi.testclient import TestClient


def poll_twice():
    client = TestClient(app)
    seen = [client.post("/reports").status_code, client.get("/reports").json()]
    release.set()
    futures["report"].result(5)
    return seen + [client.get("/reports").json()]
