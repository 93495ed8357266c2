import bcrypt
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

app = FastAPI()

# username -> hash, as the users table stores it (written by Flask-Bcrypt: still valid)
USERS = {"alice": "$2b$12$SvUfEMtrSzR4Hw5RtZs7NufvJ/mtHV8ZC/KbhDE/rYUoZwE7cx25a"}


class Credentials(BaseModel):
    username: str
    password: str


@app.post("/register", status_code=201)
def register(credentials: Credentials):
    USERS[credentials.username] = bcrypt.hashpw(credentials.password.encode(), bcrypt.gensalt()).decode()
    return {"username": credentials.username}


@app.post("/login")
def login(credentials: Credentials):
    stored = USERS.get(credentials.username)
    if stored is None or not bcrypt.checkpw(credentials.password.encode(), stored.encode()):
        raise HTTPException(status_code=401)
    return {"username": credentials.username}
