import hashlib
import hmac
from typing import Annotated

from fastapi import FastAPI, Header, Request
from fastapi.responses import JSONResponse

app = FastAPI()
WEBHOOK_SECRET = b"s3cret"


@app.post("/hooks/payment")
async def payment_hook(request: Request, x_signature: Annotated[str, Header()] = ""):
    payload = await request.body()
    expected = hmac.new(WEBHOOK_SECRET, payload, hashlib.sha256).hexdigest()
    valid = hmac.compare_digest(expected, x_signature)
    return JSONResponse({"valid": valid, "bytes": len(payload)}, status_code=200 if valid else 403)
