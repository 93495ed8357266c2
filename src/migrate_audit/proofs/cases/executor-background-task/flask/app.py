from flask import Flask, current_app, request
from flask_executor import Executor

app = Flask(__name__)
app.config["MAIL_SENDER"] = "welcome@shop.example"
executor = Executor(app)

OUTBOX = []


def send_welcome(email):
    OUTBOX.append({"to": email, "from": current_app.config["MAIL_SENDER"]})


@app.post("/signup")
def signup():
    email = request.get_json()["email"]
    executor.submit(send_welcome, email)
    return {"queued": email}, 202
