import threading
from concurrent.futures import Future, ThreadPoolExecutor

from fastapi import FastAPI

app = FastAPI()
pool = ThreadPoolExecutor()
futures: dict[str, Future] = {}
release = threading.Event()


def build_report():
    release.wait(5)
    return "42 loans"


@app.post("/reports", status_code=202)
def start():
    futures["report"] = pool.submit(build_report)
    return {"started": True}


@app.get("/reports")
def result():
    future = futures["report"]
    if not future.done():
        return {"status": "not done"}
    return {"status": "done", "result": futures.pop("report").result()}
