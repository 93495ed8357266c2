from fastapi import FastAPI, Request

app = FastAPI()
LOG = []


@app.middleware("http")
async def request_signals(request: Request, call_next):
    LOG.append("started")
    try:
        response = await call_next(request)
    except Exception as exc:
        LOG.append(f"error {type(exc).__name__}")
        raise
    LOG.append(f"finished {response.status_code}")
    return response


@app.get("/ok")
def ok():
    return {"ok": True}


@app.get("/boom")
def boom():
    raise RuntimeError("database down")
