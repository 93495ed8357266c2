from flask import Flask, request
from flask_mail import Mail, Message

app = Flask(__name__)
app.config.update(
    MAIL_SERVER="smtp.example.com",
    MAIL_PORT=587,
    MAIL_USE_TLS=True,
    MAIL_USERNAME="app",
    MAIL_PASSWORD="secret",
    MAIL_DEFAULT_SENDER="noreply@example.com",
    MAIL_SUPPRESS_SEND=True,
)
mail = Mail(app)


@app.post("/signup")
def signup():
    address = request.get_json()["email"]
    mail.send(Message("Welcome", recipients=[address], body=f"Hello {address}, welcome aboard."))
    return {"sent": True}, 202
