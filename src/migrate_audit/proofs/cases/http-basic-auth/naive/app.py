import secrets
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException
from fastapi.security import HTTPBasic, HTTPBasicCredentials

app = FastAPI()
security = HTTPBasic()

USERS = {"alice": "wonderland"}


def current_user(credentials: Annotated[HTTPBasicCredentials, Depends(security)]) -> str:
    expected = USERS.get(credentials.username)
    if expected is None or not secrets.compare_digest(expected, credentials.password):
        raise HTTPException(status_code=401)  # no challenge: the browser stops asking
    return credentials.username


@app.get("/me")
def me(username: Annotated[str, Depends(current_user)]):
    return {"username": username}
