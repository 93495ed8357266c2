import threading

from flask import Flask
from flask_executor import Executor

app = Flask(__name__)
executor = Executor(app)
release = threading.Event()


def build_report():
    release.wait(5)
    return "42 loans"


@app.post("/reports")
def start():
    executor.submit_stored("report", build_report)
    return {"started": True}, 202


@app.get("/reports")
def result():
    if not executor.futures.done("report"):
        return {"status": "not done"}
    return {"status": "done", "result": executor.futures.pop("report").result()}
