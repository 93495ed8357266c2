"""FMA9xx: what no specific rule covers, and code that is not Flask at all."""
from __future__ import annotations

from typing import Iterator

from ..api import FileContext, Hit
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
    rationale="Quart re-implements Flask's API on ASGI and is already async. The audit does not treat Quart "
    "objects as Flask: `@app.route`, `await request.get_json()`, `session` or `render_template` imported from "
    "`quart` are not reported with Flask advice. Werkzeug APIs and Flask extensions used by a Quart app are "
    "reported as such.",
    links=("https://quart.palletsprojects.com/en/latest/",),
)


@on_file(QUART_APP)
def _quart(ctx: FileContext) -> Iterator[Hit]:
    """Once per module that imports Quart's application class (`from quart import Quart`, or `import quart`
    and `quart.Quart(...)`), at its first mention."""
    imported = {qual for qual in ctx.bindings.values() if not qual.endswith("()")}
    if any(qual.startswith("quart.Quart") for qual in imported):
        node = ctx.root.find(kind="identifier", regex="^Quart$")
    elif "quart" in imported and "quart.Quart" in ctx.text:
        node = ctx.root.find(kind="attribute", regex=r"^quart\.Quart$")
    else:
        return
    if node is not None:
        yield Hit(node)
