from fastapi import FastAPI

app = FastAPI()


@app.api_route("/health", methods=["GET", "HEAD"])
def health():
    return {"status": "ok"}
