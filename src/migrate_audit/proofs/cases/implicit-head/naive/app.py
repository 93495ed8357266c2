from fastapi import FastAPI

app = FastAPI()


@app.get("/health")  # GET only: a HEAD request is answered 405
def health():
    return {"status": "ok"}
