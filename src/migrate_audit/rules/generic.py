"""FMA9xx: what no specific rule covers, and code that is not Flask at all."""
from __future__ import annotations

from typing import Iterator

from ast_grep_py import SgNode

from .. import names
from ..api import Chain, FileContext, Hit
from ..registry import on_file, on_unmatched, rule
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

# Flask objects whose attributes are the API (`request.foo`), as opposed to functions and classes.
_API_OBJECTS = frozenset({"flask.request", "flask.g", "flask.session", "flask.current_app"})


@on_unmatched(UNCOVERED_API)
def _uncovered(chain: Chain) -> Iterator[Hit]:
    """A use that no rule covers, at the level of its chain that is the Flask/Werkzeug API it touches."""
    generic = _generic_api(chain)
    if generic is not None:
        yield Hit(generic[1], {"api": names.display(generic[0])})


def _generic_api(chain: Chain) -> tuple[str, SgNode] | None:
    """The Flask/Werkzeug API that a use without any rule touches, or None when it is no API use."""
    base = chain[0][0]
    if names.root_module(base) not in ("flask", "werkzeug"):
        return None
    known = names.KNOWN_MEMBERS.get(names.PROXY_TYPES.get(base, base))
    if known is not None:
        # Only Flask's own members are its API: `app.security = ...` or a subclass's `get_by_week()` are
        # the project's.
        if len(chain) < 2 or chain[1][0].rpartition(".")[2] not in known:
            return None
        return chain[1]
    if base.endswith("()") or base in _API_OBJECTS:
        # A bare `app` or `request` passed around is not an API use; its first attribute is.
        return chain[1] if len(chain) > 1 else None
    if "." not in base:
        # `import flask` then `flask.json.dumps`: skip the submodule levels to the API itself.
        for i in range(1, len(chain)):
            last = chain[i][0].rpartition(".")[2]
            if last.startswith("__") and last.endswith("__"):
                return None  # `flask.__name__`, `flask.__version__`: module metadata, no API
            if not last[:1].islower() or i == len(chain) - 1:
                return chain[i]
        return None
    return chain[0]


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
