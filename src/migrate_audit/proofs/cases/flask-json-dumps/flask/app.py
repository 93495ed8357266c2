import uuid
from datetime import datetime
from decimal import Decimal

from flask import Flask, Response, json

app = Flask(__name__)
ORDER = {"id": uuid.UUID("12345678-1234-5678-1234-567812345678"), "total": Decimal("9.90"),
         "placed": datetime(2026, 11, 25, 14, 30)}


@app.get("/orders/export")
def export():
    return Response(json.dumps(ORDER), mimetype="application/json")
