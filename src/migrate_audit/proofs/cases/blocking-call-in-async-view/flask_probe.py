import threading
import time as _time


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
    answers = {}
    report = threading.Thread(target=lambda: answers.update(report=app.test_client().get("/report").get_json()))
    report.start()  # as a second worker thread would
    time.started.wait(10)
    answers["ping"] = app.test_client().get("/ping").get_json()
    answers["ping answered while /report was blocked"] = time.sleeping.is_set()
    report.join()
    return answers
