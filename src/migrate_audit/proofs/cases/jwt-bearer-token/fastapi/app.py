import secrets
import uuid
from datetime import datetime, timedelta, timezone
from typing import Annotated

import jwt
from fastapi import Depends, FastAPI, HTTPException
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

SECRET_KEY = "change-me-to-a-long-random-secret-key"  # the JWT_SECRET_KEY the Flask app used
ALGORITHM = "HS256"  # Flask-JWT-Extended's default

app = FastAPI()
bearer = HTTPBearer()

USERS = {"alice": "wonderland"}


class Login(BaseModel):
    username: str
    password: str


def create_access_token(identity: str) -> str:
    # The claims Flask-JWT-Extended writes, so tokens keep working in both directions during the cutover.
    now = datetime.now(timezone.utc)
    claims = {"sub": identity, "type": "access", "fresh": False, "jti": str(uuid.uuid4()),
              "iat": now, "nbf": now, "exp": now + timedelta(minutes=15)}
    return jwt.encode(claims, SECRET_KEY, algorithm=ALGORITHM)


def current_identity(credentials: Annotated[HTTPAuthorizationCredentials, Depends(bearer)]) -> str:
    try:
        claims = jwt.decode(credentials.credentials, SECRET_KEY, algorithms=[ALGORITHM])
    except jwt.ExpiredSignatureError:
        raise HTTPException(status_code=401, detail="Token has expired", headers={"WWW-Authenticate": "Bearer"})
    except jwt.InvalidTokenError as exc:
        raise HTTPException(status_code=422, detail=str(exc))  # Flask-JWT-Extended's status
    if claims.get("type", "access") != "access":  # what @jwt_required() checks: no refresh tokens here
        raise HTTPException(status_code=422, detail="Only non-refresh tokens are allowed")
    return claims["sub"]


@app.post("/login")
def login(data: Login):
    if not secrets.compare_digest(USERS.get(data.username, ""), data.password):
        raise HTTPException(status_code=401, headers={"WWW-Authenticate": "Bearer"})
    return {"access_token": create_access_token(data.username)}


@app.get("/me")
def me(identity: Annotated[str, Depends(current_identity)]):
    return {"username": identity}
