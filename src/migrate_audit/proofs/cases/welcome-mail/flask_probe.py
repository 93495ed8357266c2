import email
from email.utils import getaddresses


def _sent(address):
    with mail.record_messages() as outbox:
        app.test_client().post("/signup", json={"email": address})
    with app.app_context():  # Flask-Mail renders a Message only inside the app context
        return [email.message_from_bytes(m.as_bytes()) for m in outbox]


def signup_mail(address):
    return [{"subject": m["Subject"], "from": m["From"], "to": [a for _, a in getaddresses([m["To"]])],
             "text": [p.get_payload(decode=True).decode() for p in m.walk() if p.get_content_type() == "text/plain"]}
            for m in _sent(address)]


def signup_envelope(address):
    return [{"To": m["To"], "Content-Type": m.get_content_type()} for m in _sent(address)]
