import importlib


def run(test):
    try:
        getattr(importlib.import_module("test_login"), test)()
    except AssertionError:
        return "failed"
    return "passed"


def status_seen_by_the_test_client():
    from test_login import client
    return client.post("/login", data={"user": "ada"}).status_code
