from fastapi.testclient import TestClient


def client_ip(address):
    # Starlette's TestClient says "testclient" unless given the peer address
    return TestClient(app, client=(address, 50000)).get("/whoami").json()
