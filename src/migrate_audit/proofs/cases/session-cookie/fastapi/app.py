import hashlib
import os
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Form, Request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.middleware.sessions import SessionMiddleware

SECRET_KEY = os.environ["SECRET_KEY"]
FLASK_SESSION_LIFETIME = 31 * 24 * 3600  # Flask's PERMANENT_SESSION_LIFETIME

# Reads the cookies the Flask app issued before the cutover.
flask_cookies = URLSafeTimedSerializer(
    SECRET_KEY, salt="cookie-session", signer_kwargs={"key_derivation": "hmac", "digest_method": hashlib.sha1}
)


def user_session(request: Request) -> dict[str, Any]:
    if not request.session and "session" in request.cookies:
        try:
            request.session.update(flask_cookies.loads(request.cookies["session"], max_age=FLASK_SESSION_LIFETIME))
        except BadSignature:
            pass  # neither format: a new, empty session
    return request.session


app = FastAPI()
app.add_middleware(SessionMiddleware, secret_key=SECRET_KEY)


@app.post("/login")
def login(user: Annotated[str, Form()], session: Annotated[dict[str, Any], Depends(user_session)]):
    session["user"] = user
    return {"user": user}


@app.get("/me")
def me(session: Annotated[dict[str, Any], Depends(user_session)]):
    return {"user": session.get("user")}
