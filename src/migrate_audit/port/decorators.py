"""A view's other decorators: which may stay on the path operation.

Flask runs a view's other decorators (`@login_required` under `@app.get(...)`) around the view on every request;
FastAPI does the same with the function the path operation is given, and reads its parameters through
`__wrapped__` (`functools.wraps`), so a decorator that does in FastAPI what it did in Flask can stay where it is,
in the same order. The port does not know that of any decorator by itself: a rewrite that makes one faithful (the
Flask-Login bridge, port/login.py) says so with `keep` before the routes are read, and routes.read_route lets
such a decorator stay; every other decorator still keeps its route with Flask, with its reason.
"""
from __future__ import annotations

from ast_grep_py import SgNode

from .edits import PortedFile
from ..scopes import span

KEPT = ("decorators kept", 0)  # file.memo key: the start offsets of the decorator expressions that stay
WHY = ("decorators refused", 0)  # file.memo key: start offset -> why a rewrite that knows the decorator left it


def keep(file: PortedFile, expression: SgNode) -> None:
    """The decorator `expression` (`login_required`, or the callee of `limit(...)`) does in FastAPI what it did
    in Flask, as the module's port rewrites it: it stays on the path operation."""
    file.memo.setdefault(KEPT, set()).add(span(expression)[0])


def kept(file: PortedFile, expression: SgNode) -> bool:
    return span(expression)[0] in file.memo.get(KEPT, ())


def refuse(file: PortedFile, expression: SgNode, reason: str) -> None:
    """The decorator `expression` is one a rewrite knows but leaves here, for `reason` (said where the route stays)."""
    file.memo.setdefault(WHY, {})[span(expression)[0]] = reason


def why(file: PortedFile, expression: SgNode) -> str:
    """Why the decorator `expression` keeps its view with Flask."""
    return file.memo.get(WHY, {}).get(span(expression)[0], "which runs code around it that the port does not convert")
