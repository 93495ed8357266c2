"""Pricing helpers. Deliberately framework-free so the worker and scripts can use them."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class PriceBreakdown:
    net_cents: int
    discount_cents: int
    vat_cents: int

    @property
    def gross_cents(self) -> int:
        return self.net_cents - self.discount_cents + self.vat_cents


@dataclass
class PriceCalculator:
    vat_rate: float = 0.0
    bulk_threshold: int = 5
    bulk_discount: float = 0.10

    def quote(self, unit_price_cents: int, quantity: int = 1) -> PriceBreakdown:
        if quantity < 1:
            raise ValueError("quantity must be at least 1")
        net = unit_price_cents * quantity
        discount = 0
        if quantity >= self.bulk_threshold:
            discount = _round_cents(net * self.bulk_discount)
        vat = _round_cents((net - discount) * self.vat_rate)
        return PriceBreakdown(net_cents=net, discount_cents=discount, vat_cents=vat)


def _round_cents(value: float) -> int:
    return int(Decimal(str(value)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def format_price(cents: int | None, currency: str = "EUR") -> str:
    if cents is None:
        return "–"
    return f"{cents // 100}.{cents % 100:02d} {currency}"
