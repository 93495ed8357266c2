import time


def outbox():
    deadline = time.monotonic() + 5
    while not OUTBOX and time.monotonic() < deadline:
        time.sleep(0.05)
    return OUTBOX
