import time

from fastapi import FastAPI

app = FastAPI()


@app.get("/report")
async def report():
    time.sleep(2)  # the slow upstream call
    return {"report": "ready"}


@app.get("/ping")
def ping():
    return {"pong": True}
