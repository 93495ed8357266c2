import time

from fastapi import FastAPI

app = FastAPI()


@app.get("/report")
def report():  # plain def: FastAPI runs it in its threadpool
    time.sleep(2)  # the slow upstream call
    return {"report": "ready"}


@app.get("/ping")
def ping():
    return {"pong": True}
