from flask import Flask, abort, request
from flask_bcrypt import Bcrypt

app = Flask(__name__)
bcrypt = Bcrypt(app)

# username -> hash, as the users table stores it
USERS = {"alice": "$2b$12$SvUfEMtrSzR4Hw5RtZs7NufvJ/mtHV8ZC/KbhDE/rYUoZwE7cx25a"}


@app.post("/register")
def register():
    data = request.get_json()
    USERS[data["username"]] = bcrypt.generate_password_hash(data["password"]).decode()
    return {"username": data["username"]}, 201


@app.post("/login")
def login():
    data = request.get_json()
    stored = USERS.get(data["username"])
    if stored is None or not bcrypt.check_password_hash(stored, data["password"]):
        abort(401)
    return {"username": data["username"]}
