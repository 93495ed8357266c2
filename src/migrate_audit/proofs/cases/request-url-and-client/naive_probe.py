from fastapi.testclient import TestClient


def client_ip(address):
    return TestClient(app, client=(address, 50000)).get("/whoami").json()
