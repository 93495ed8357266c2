# Served behind the proxy at 10.0.0.1 with:
#     uvicorn app:app --proxy-headers --forwarded-allow-ips=10.0.0.1
from fastapi import FastAPI, Request

app = FastAPI()


@app.get("/whoami")
def whoami(request: Request):
    return {"client": request.client.host, "scheme": request.url.scheme, "url": str(request.url_for("whoami"))}
