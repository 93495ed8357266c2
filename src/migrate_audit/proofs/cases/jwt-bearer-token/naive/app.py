import secrets
from datetime import datetime, timedelta, timezone
from typing import Annotated

import jwt
from fastapi import Depends, FastAPI, HTTPException
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

SECRET_KEY = "change-me-to-a-long-random-secret-key"
ALGORITHM = "HS256"

app = FastAPI()
bearer = HTTPBearer()

USERS = {"alice": "wonderland"}


class Login(BaseModel):
    username: str
    password: str


def current_identity(credentials: Annotated[HTTPAuthorizationCredentials, Depends(bearer)]) -> str:
    try:
        return jwt.decode(credentials.credentials, SECRET_KEY, algorithms=[ALGORITHM])["sub"]
    except jwt.InvalidTokenError:
        raise HTTPException(status_code=401, detail="Could not validate credentials")


@app.post("/login")
def login(data: Login):
    if not secrets.compare_digest(USERS.get(data.username, ""), data.password):
        raise HTTPException(status_code=401)
    expire = datetime.now(timezone.utc) + timedelta(minutes=30)
    return {"access_token": jwt.encode({"sub": data.username, "exp": expire}, SECRET_KEY, algorithm=ALGORITHM)}


@app.get("/me")
def me(identity: Annotated[str, Depends(current_identity)]):
    return {"username": identity}
