import threading
import time as _time

from fastapi.testclient import TestClient


class _MarkedTime:
    """The module's `time`, with a flag raised while `sleep` runs."""

    def __init__(self):
        self.sleeping = threading.Event()
        self.started = threading.Event()

    def sleep(self, seconds):
        self.sleeping.set()
        self.started.set()
        try:
            _time.sleep(seconds)
        finally:
            self.sleeping.clear()


time = _MarkedTime()


def ping_answered_during_report():
    time.started.clear()
    with TestClient(app) as client:  # one event loop for both requests, as in a server process
        answers = {}
        report = threading.Thread(target=lambda: answers.update(report=client.get("/report").json()))
        report.start()
        time.started.wait(10)
        answers["ping"] = client.get("/ping").json()
        answers["ping answered while /report was blocked"] = time.sleeping.is_set()
        report.join()
    return answers
