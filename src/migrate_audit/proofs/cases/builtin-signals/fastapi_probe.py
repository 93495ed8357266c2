from fastapi.testclient import TestClient


def served(path):
    LOG.clear()
    TestClient(app, raise_server_exceptions=False).get(path)
    return list(LOG)
