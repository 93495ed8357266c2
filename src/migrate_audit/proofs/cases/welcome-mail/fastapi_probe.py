from email.utils import getaddresses

from fastapi.testclient import TestClient


def _sent(address):
    with fm.record_messages() as outbox, TestClient(app) as client:
        client.post("/signup", json={"email": address})
    return outbox


def signup_mail(address):
    return [{"subject": m["Subject"], "from": m["From"], "to": [a for _, a in getaddresses([m["To"]])],
             "text": [p.get_payload(decode=True).decode() for p in m.walk() if p.get_content_type() == "text/plain"]}
            for m in _sent(address)]


def signup_envelope(address):
    return [{"To": m["To"], "Content-Type": m.get_content_type()} for m in _sent(address)]
