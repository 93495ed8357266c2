from fastapi.testclient import TestClient


def page():
    text = TestClient(app).get("/").text
    return {"page kept": "<h1>Shop</h1>" in text, "toolbar": 'id="fastDebug"' in text}
