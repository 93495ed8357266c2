def chat_session():
    alice, bob, eve = (socketio.test_client(app) for _ in range(3))
    alice.emit("join", {"room": "books", "name": "alice"})
    bob.emit("join", {"room": "books", "name": "bob"})
    alice.emit("chat", {"room": "books", "text": "hello"})
    eve.emit("join", {"room": "films", "name": "eve"})
    return {name: [[event["name"], *event["args"]] for event in client.get_received()]
            for name, client in (("alice", alice), ("bob", bob), ("eve", eve))}


SESSION = {}


def received(name):
    """What one client received in the session, sorted (not the interleaving of two rooms' traffic)."""
    if not SESSION:
        SESSION.update(chat_session())
    return sorted(" ".join([event, *map(str, data.values())]) for event, data in SESSION[name])
