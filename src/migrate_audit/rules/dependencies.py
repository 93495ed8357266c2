"""FMA70x: dependencies declared in requirements files, pyproject.toml, setup.cfg, Pipfile and setup.py.

One rule per counterpart verdict, so the score, the blocker count and the report's dependency
readiness come straight from the codes. The matching lives in `filekinds/dependencies.py`; the
counterparts come from the ecosystem catalogue (`ecosystem.py`), shared with the FMA3xx import rules.
A requirement line costs 1 point: the work of replacing the extension is counted where the code uses it.
"""
from __future__ import annotations

from ..registry import rule
from ._common import FASTAPI

_PIP = "https://pip.pypa.io/en/stable/reference/requirements-file-format/"
_WHY = ("The requirement must be swapped for the counterpart's distribution when the code moves; the "
        "code changes themselves are counted by the import rules (FMA3xx).")

DIRECT = rule(
    "FMA701", "flask-ecosystem-requirement-direct", "Flask-ecosystem requirement with a direct counterpart",
    "`{requirement}` requires {distribution}",
    "{counterpart}",
    "mandatory", 1, "direct",
    rationale=_WHY,
    links=(f"{FASTAPI}/#installation", _PIP),
)

PARTIAL = rule(
    "FMA702", "flask-ecosystem-requirement-partial", "Flask-ecosystem requirement with a partial counterpart",
    "`{requirement}` requires {distribution}",
    "{counterpart}",
    "mandatory", 1, "partial",
    rationale=_WHY + " The counterpart differs in behaviour; read the extension's FMA3xx rule.",
    links=(f"{FASTAPI}/#installation", _PIP),
)

NO_COUNTERPART = rule(
    "FMA703", "flask-ecosystem-requirement-without-counterpart",
    "Flask-ecosystem requirement without a FastAPI counterpart",
    "`{requirement}` requires {distribution}, which has no FastAPI counterpart",
    "{counterpart}",
    "mandatory", 1, "none",
    rationale=_WHY + " Nothing replaces this one: what it does must be rebuilt.",
    links=(f"{FASTAPI}/#installation", _PIP),
)

KEPT = rule(
    "FMA704", "framework-agnostic-requirement", "Framework-agnostic requirement of a Flask app",
    "`{requirement}` requires {distribution}, which works without Flask",
    "{counterpart}",
    "information", 0, "keep",
    rationale="Listed so the dependency inventory is complete: the library stays, only its Flask glue goes.",
    links=(_PIP,),
)

UNKNOWN_EXTENSION = rule(
    "FMA705", "unknown-flask-extension-requirement", "Flask extension requirement not in the catalogue",
    "`{requirement}` requires {distribution}, a Flask extension the catalogue does not know",
    "find a FastAPI/Starlette counterpart by hand, or drop it if the code no longer needs it",
    "potential", 3, "unknown",
    rationale="A `Flask-*` distribution is almost always bound to Flask's app and request contexts. The "
    "audit cannot say what replaces it, so it asks for a human look rather than staying silent.",
    links=(f"{FASTAPI}/alternatives/#flask", _PIP),
)

DEAD = rule(
    "FMA706", "unused-flask-requirement", "Flask-ecosystem requirement the code never imports",
    "`{requirement}` requires {distribution}, but no scanned module imports `{modules}`",
    "drop the requirement rather than migrate it (check for plugin or config-string loading first)",
    "optional", 1, "direct",
    rationale="A dependency nothing imports costs nothing to remove and would otherwise be migrated for "
    "nothing. Extensions loaded by name from configuration, or used only by code outside the scan, look "
    "unused too: check before deleting.",
    links=(_PIP,),
)

WSGI_SERVER = rule(
    "FMA707", "wsgi-server-requirement", "WSGI server or green-thread library requirement",
    "`{requirement}` requires {distribution}, {what}",
    "{counterpart}",
    "mandatory", 1, "partial",
    rationale="FastAPI is an ASGI application: it needs an ASGI server (uvicorn, hypercorn, granian) or "
    "Gunicorn with the uvicorn worker. gevent and eventlet monkey-patching does not mix with asyncio.",
    links=(f"{FASTAPI}/deployment/manually/", "https://www.uvicorn.org/deployment/"),
)
