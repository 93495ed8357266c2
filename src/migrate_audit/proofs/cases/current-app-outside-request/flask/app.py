from flask import Flask, current_app


class Outbox:
    def __init__(self, sender):
        self.sender = sender
        self.sent = []

    def send(self, to, subject):
        self.sent.append([self.sender, to, subject])


app = Flask(__name__)
app.outbox = Outbox("noreply@bookshelf.example")


def send_welcome(address):
    current_app.outbox.send(address, "Welcome to the bookshelf")


@app.post("/signup/<address>")
def signup(address):
    send_welcome(address)
    return {"welcomed": address}, 201


def resend_welcomes(addresses):
    """Run by a nightly job, outside any request."""
    with app.app_context():
        for address in addresses:
            send_welcome(address)
