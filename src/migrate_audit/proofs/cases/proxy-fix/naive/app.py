# Served with:
#     uvicorn app:app --proxy-headers --forwarded-allow-ips='*'
from fastapi import FastAPI, Request

app = FastAPI()


@app.get("/whoami")
def whoami(request: Request):
    return {"client": request.client.host, "scheme": request.url.scheme, "url": str(request.url_for("whoami"))}
