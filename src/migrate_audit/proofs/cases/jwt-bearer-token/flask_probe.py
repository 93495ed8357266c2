import jwt as _pyjwt


def login_claims():
    response = app.test_client().post("/login", json={"username": "alice", "password": "wonderland"})
    claims = _pyjwt.decode(response.get_json()["access_token"], app.config["JWT_SECRET_KEY"], algorithms=["HS256"])
    lifetime = claims["exp"] - claims["iat"] if "iat" in claims else None
    return {"sub": claims["sub"], "type": claims.get("type"), "fresh": claims.get("fresh"), "lifetime": lifetime}
