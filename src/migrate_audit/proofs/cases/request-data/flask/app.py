import hashlib
import hmac

from flask import Flask, request

app = Flask(__name__)
WEBHOOK_SECRET = b"s3cret"


@app.post("/hooks/payment")
def payment_hook():
    payload = request.get_data()
    expected = hmac.new(WEBHOOK_SECRET, payload, hashlib.sha256).hexdigest()
    valid = hmac.compare_digest(expected, request.headers.get("X-Signature", ""))
    return {"valid": valid, "bytes": len(payload)}, 200 if valid else 403
