import hashlib
import os

from flask.json.tag import TaggedJSONSerializer
from itsdangerous import URLSafeTimedSerializer


def cookie_issued_by_flask(data):
    """A session cookie a browser still holds at the cutover, signed the way flask.sessions signs it."""
    serializer = URLSafeTimedSerializer(os.environ["SECRET_KEY"], salt="cookie-session",
                                        serializer=TaggedJSONSerializer(),
                                        signer_kwargs={"key_derivation": "hmac", "digest_method": hashlib.sha1})
    return serializer.dumps(data)


def cart_with_cookie(cookie):
    client = app.test_client()
    client.set_cookie("session", cookie)
    return client.get("/cart").get_json()


def session_cookie_attributes():
    header = app.test_client().post("/cart", json={"book": "Dune"}).headers["Set-Cookie"]
    return sorted(part.strip().lower() for part in header.split(";")[1:])


def session_cookie_lifetime():
    attributes = dict(a.partition("=")[::2] for a in session_cookie_attributes())
    if "max-age" in attributes:
        return f"{attributes['max-age']} seconds"
    return "until a date" if "expires" in attributes else "until the browser closes"
