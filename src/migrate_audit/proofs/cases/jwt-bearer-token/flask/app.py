import secrets

from flask import Flask, abort, request
from flask_jwt_extended import JWTManager, create_access_token, get_jwt_identity, jwt_required

app = Flask(__name__)
app.config["JWT_SECRET_KEY"] = "change-me-to-a-long-random-secret-key"
jwt = JWTManager(app)

USERS = {"alice": "wonderland"}


@app.post("/login")
def login():
    data = request.get_json()
    if not secrets.compare_digest(USERS.get(data["username"], ""), data["password"]):
        abort(401)
    return {"access_token": create_access_token(identity=data["username"])}


@app.get("/me")
@jwt_required()
def me():
    return {"username": get_jwt_identity()}
