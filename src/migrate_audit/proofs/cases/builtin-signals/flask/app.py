from flask import Flask, got_request_exception, request_finished, request_started

app = Flask(__name__)
LOG = []


@request_started.connect_via(app)
def on_start(sender, **extra):
    LOG.append("started")


@request_finished.connect_via(app)
def on_finish(sender, response, **extra):
    LOG.append(f"finished {response.status_code}")


@got_request_exception.connect_via(app)
def on_error(sender, exception, **extra):
    LOG.append(f"error {type(exception).__name__}")


@app.get("/ok")
def ok():
    return {"ok": True}


@app.get("/boom")
def boom():
    raise RuntimeError("database down")
