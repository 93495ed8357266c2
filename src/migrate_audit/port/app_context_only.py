"""Findings that need Flask's application context only, not a request's: a helper with no others runs as in Flask
where `@flask_app_context` (port/flask_sqlalchemy.py) pushes an application context of the Flask app around a view
moved to FastAPI on its own (split.py), as Flask pushed one for each request. The sample app's
`enqueue_catalogue_export` (its `get_redis` keeps a Redis connection in `g`, made from `current_app.config`, and the
app's `teardown_appcontext` closes it) is such a helper.

- `current_app` (FMA409) is the Flask app whose context is pushed: the same object;
- a read of an app's config (FMA503) and an application context pushed by hand (FMA410, `with app.app_context():`,
  which starts a context of its own, with its own `g`) need nothing of the context around them;
- `has_app_context()` (FMA411) is true in both; the other helpers of FMA411 (`has_request_context`, ...) are not
  (only an application context is pushed), so they are not counted;
- `g` (FMA406) is the pushed context's own, empty until the helper fills it, where Flask's held what the request's
  hooks put there: counted only where the function caches in `g` (every key it reads there it also tests with `in`
  and assigns itself) and nothing else in the project assigns those keys, so what it reads is what it put there, as in
  Flask; popping the context runs the app's `teardown_appcontext` functions as the end of Flask's request did.
"""
from __future__ import annotations

import re

from ast_grep_py import SgNode

from ..rules.application import CONFIG_ACCESS
from ..rules.lifecycle import APP_CONTEXT, CURRENT_APP, G_OBJECT, REQUEST_CONTEXT_HELPERS
from .edits import PortedFile, Site, enclosing_function, literal

NAMES = frozenset({"g", "current_app", "has_app_context"})  # (imported from flask)  # what of Flask's the findings below are about
_KEY_CALLS = frozenset({"get", "pop"})  # g.get("key"), g.pop("key"): reads of "key"


def needs_app_only(file: PortedFile, site: Site, texts: list[str]) -> bool:
    """True when `site` needs no more than an application context of the Flask app (above); `texts`: the project's
    module texts (where else keys of `g` are assigned)."""
    head = site.node.text().split("(")[0].split(".")[0].split("[")[0]
    if site.code == CURRENT_APP.code:
        return head == "current_app" and file.bound.get("current_app") == "flask"
    if site.code in (CONFIG_ACCESS.code, APP_CONTEXT.code):
        return head != "current_app" or file.bound.get("current_app") == "flask"
    if site.code == REQUEST_CONTEXT_HELPERS.code:
        return site.node.text().split("(")[0] == "has_app_context" and file.bound.get("has_app_context") == "flask"
    if site.code == G_OBJECT.code and head == "g" and file.bound.get("g") == "flask":
        function = enclosing_function(site.node)
        return function is not None and _caches_in_g(function, texts)
    return False


def _caches_in_g(function: SgNode, texts: list[str]) -> bool:
    """True when every key of `g` the function reads it also tests (`"key" in g`) and assigns (`g.key = ...`), and the
    project assigns those keys nowhere else (its text has `g.key =` once, or `setattr(g`... nowhere)."""
    read, tested, assigned = set(), set(), set()
    for node in function.find_all(kind="identifier"):
        if node.text() != "g":
            continue
        parent = node.parent()
        if parent is None:
            return False
        if parent.kind() == "attribute" and parent.field("object") == node:
            key = parent.field("attribute").text()  # type: ignore[union-attr]
            above = parent.parent()
            if above is not None and above.kind() == "assignment" and above.field("left") == parent:
                assigned.add(key)
            elif above is not None and above.kind() == "call" and above.field("function") == parent \
                    and key in _KEY_CALLS:
                arguments = [a for a in above.field("arguments").named_children() if a.kind() != "comment"]  # type: ignore[union-attr]
                try:
                    name = literal(arguments[0]) if arguments else None
                except ValueError:
                    return False
                if not isinstance(name, str):
                    return False
                read.add(name)
            else:
                read.add(key)
        elif parent.kind() == "comparison_operator" and parent.named_children()[-1] == node \
                and len(parent.named_children()) == 2:
            try:
                name = literal(parent.named_children()[0])
            except ValueError:
                return False
            if not isinstance(name, str) or not re.search(r"\bin\b", parent.text()):
                return False
            tested.add(name)
        else:
            return False  # g passed on, iterated...: what reads it is not known
    if not read or not read <= tested & assigned:
        return False
    text = "\n".join(texts)
    if re.search(r"setattr\(\s*g\b", text):
        return False
    return all(len(re.findall(rf"\bg\.{re.escape(key)}\s*=[^=]", text)) == 1 for key in assigned)
