import json

from fastapi.testclient import TestClient


class SocketClient:
    """A bare Socket.IO client over Starlette's test websocket: Engine.IO 4 open, Socket.IO connect, events."""

    def __init__(self, ws):
        self.ws = ws
        self.received = []
        assert ws.receive_text().startswith("0")  # Engine.IO open packet
        ws.send_text("40")  # Socket.IO CONNECT to the default namespace
        assert ws.receive_text().startswith("40")

    def emit(self, event, data):
        self.ws.send_text("42" + json.dumps([event, data]))

    def wait_for(self, *expected):
        """Read events up to `expected` (name and arguments); what arrived before it is kept too."""
        while True:
            packet = self.ws.receive_text()
            if packet == "2":  # Engine.IO ping
                self.ws.send_text("3")
                continue
            event = json.loads(packet[2:])
            self.received.append(event)
            if event == list(expected):
                return


def chat_session():
    url = "/socket.io/?EIO=4&transport=websocket"
    headers = {"upgrade": "websocket"}
    with TestClient(app) as client, client.websocket_connect(url, headers=headers) as a, \
            client.websocket_connect(url, headers=headers) as b, client.websocket_connect(url, headers=headers) as e:
        alice, bob, eve = SocketClient(a), SocketClient(b), SocketClient(e)
        alice.emit("join", {"room": "books", "name": "alice"})
        alice.wait_for("joined", {"room": "books", "name": "alice"})
        bob.emit("join", {"room": "books", "name": "bob"})
        bob.wait_for("joined", {"room": "books", "name": "bob"})
        alice.emit("chat", {"room": "books", "text": "hello"})
        alice.wait_for("said", {"text": "hello"})
        bob.wait_for("said", {"text": "hello"})
        eve.emit("join", {"room": "films", "name": "eve"})
        eve.wait_for("joined", {"room": "films", "name": "eve"})
        return {"alice": alice.received, "bob": bob.received, "eve": eve.received}


SESSION = {}


def received(name):
    """What one client received in the session, sorted (not the interleaving of two rooms' traffic)."""
    if not SESSION:
        SESSION.update(chat_session())
    return sorted(" ".join([event, *map(str, data.values())]) for event, data in SESSION[name])
