from decimal import Decimal

from fastapi import FastAPI


class Money:
    def __init__(self, amount, currency):
        self.amount, self.currency = amount, currency


app = FastAPI()


@app.get("/cart")
def cart():
    return {"items": 2, "total": Money(Decimal("9.90"), "EUR")}
