from decimal import Decimal

from fastapi import FastAPI
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse


class Money:
    def __init__(self, amount, currency):
        self.amount, self.currency = amount, currency


def encode(content):
    return jsonable_encoder(content, custom_encoder={Money: lambda m: f"{m.amount} {m.currency}"})


app = FastAPI()


@app.get("/cart")
def cart():
    return JSONResponse(encode({"items": 2, "total": Money(Decimal("9.90"), "EUR")}))
