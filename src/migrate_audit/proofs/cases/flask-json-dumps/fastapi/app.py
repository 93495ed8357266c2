import json
import uuid
from datetime import datetime, timezone
from decimal import Decimal
from email.utils import format_datetime

from fastapi import FastAPI, Response

app = FastAPI()
ORDER = {"id": uuid.UUID("12345678-1234-5678-1234-567812345678"), "total": Decimal("9.90"),
         "placed": datetime(2026, 11, 25, 14, 30)}


def as_flask_did(value):
    """What Flask's default JSON provider wrote for the types the json module does not know."""
    if isinstance(value, datetime):
        return format_datetime(value if value.tzinfo else value.replace(tzinfo=timezone.utc), usegmt=True)
    if isinstance(value, (Decimal, uuid.UUID)):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


@app.get("/orders/export")
def export():
    return Response(json.dumps(ORDER, default=as_flask_did, sort_keys=True), media_type="application/json")
