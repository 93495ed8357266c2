from decimal import Decimal

from flask import Flask
from flask.json.provider import DefaultJSONProvider


class Money:
    def __init__(self, amount, currency):
        self.amount, self.currency = amount, currency


class ShopJSONProvider(DefaultJSONProvider):
    def default(self, o):
        if isinstance(o, Money):
            return f"{o.amount} {o.currency}"
        return super().default(o)


app = Flask(__name__)
app.json = ShopJSONProvider(app)


@app.get("/cart")
def cart():
    return {"items": 2, "total": Money(Decimal("9.90"), "EUR")}
