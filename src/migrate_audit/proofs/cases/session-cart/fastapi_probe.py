import hashlib
import os

from fastapi.testclient import TestClient
from flask.json.tag import TaggedJSONSerializer
from itsdangerous import URLSafeTimedSerializer


def cookie_issued_by_flask(data):
    """A session cookie a browser still holds at the cutover, signed the way flask.sessions signs it."""
    serializer = URLSafeTimedSerializer(os.environ["SECRET_KEY"], salt="cookie-session",
                                        serializer=TaggedJSONSerializer(),
                                        signer_kwargs={"key_derivation": "hmac", "digest_method": hashlib.sha1})
    return serializer.dumps(data)


def cart_with_cookie(cookie):
    client = TestClient(app)
    client.cookies.set("session", cookie)
    return client.get("/cart").json()


def session_cookie_attributes():
    header = TestClient(app).post("/cart", json={"book": "Dune"}).headers["set-cookie"]
    return sorted(part.strip().lower() for part in header.split(";")[1:])


def session_cookie_lifetime():
    attributes = dict(a.partition("=")[::2] for a in session_cookie_attributes())
    if "max-age" in attributes:
        return f"{attributes['max-age']} seconds"
    return "until a date" if "expires" in attributes else "until the browser closes"
