from fastapi import FastAPI, Request


class Outbox:
    def __init__(self, sender):
        self.sender = sender
        self.sent = []

    def send(self, to, subject):
        self.sent.append([self.sender, to, subject])


app = FastAPI()
app.state.outbox = Outbox("noreply@bookshelf.example")


def send_welcome(outbox, address):
    outbox.send(address, "Welcome to the bookshelf")


@app.post("/signup/{address}", status_code=201)
def signup(address: str, request: Request):
    send_welcome(request.app.state.outbox, address)
    return {"welcomed": address}


def resend_welcomes(addresses):
    """Run by a nightly job, outside any request."""
    for address in addresses:
        send_welcome(app.state.outbox, address)
