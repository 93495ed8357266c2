from fastapi.testclient import TestClient


def login_claims():
    response = TestClient(app).post("/login", json={"username": "alice", "password": "wonderland"})
    claims = jwt.decode(response.json()["access_token"], SECRET_KEY, algorithms=[ALGORITHM])
    lifetime = claims["exp"] - claims["iat"] if "iat" in claims else None
    return {"sub": claims["sub"], "type": claims.get("type"), "fresh": claims.get("fresh"), "lifetime": lifetime}
