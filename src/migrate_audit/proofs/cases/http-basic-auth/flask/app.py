import secrets

from flask import Flask
from flask_httpauth import HTTPBasicAuth

app = Flask(__name__)
auth = HTTPBasicAuth()

USERS = {"alice": "wonderland"}


@auth.verify_password
def verify_password(username, password):
    if username in USERS and secrets.compare_digest(USERS[username], password):
        return username


@app.get("/me")
@auth.login_required
def me():
    return {"username": auth.current_user()}
