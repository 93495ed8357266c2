"""FMA9xx: what no specific rule covers, and code that is not Flask at all."""
from __future__ import annotations

from typing import Iterator

from ..engine import FileContext, Hit
from ..registry import on_file, rule
from ._common import FASTAPI

UNCOVERED_API = rule(
    "FMA900", "flask-api-without-rule", "Flask or Werkzeug API without a specific rule",
    "`{api}` is a Flask/Werkzeug API that no rule covers yet",
    "look up the FastAPI/Starlette counterpart by hand",
    "potential", 13, "unknown",
    rationale="Rather than silently skipping APIs it does not know, the audit reports them at the "
    "'unknown' effort of 13 points, so coverage gaps show in the score instead of hiding.",
    links=(f"{FASTAPI}/alternatives/#flask",),
)

QUART_APP = rule(
    "FMA901", "quart-application", "Quart application",
    "Quart application module: already async, with a Flask-compatible API",
    "Quart apps port to FastAPI like Flask apps, but views are already `async def`; consider whether the "
    "migration is needed at all",
    "information", 0, "partial",
    rationale="Quart re-implements Flask's API on ASGI. The audit does not treat Quart objects as Flask, so "
    "its routes are not reported as Flask findings.",
    links=("https://quart.palletsprojects.com/en/latest/",),
)


@on_file(QUART_APP)
def _quart(ctx: FileContext) -> Iterator[Hit]:
    for qual in ctx.bindings.values():
        if qual.startswith("quart.Quart") and not qual.endswith("()"):
            node = ctx.root.find(kind="identifier", regex="^Quart$")
            if node is not None:
                yield Hit(node)
            return
