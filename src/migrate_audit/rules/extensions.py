"""FMA301-336: Flask extensions, one rule per record of the ecosystem catalogue (`ecosystem.py`), which
declares them: each record's first field is its code. The records stay data outside the rules package
because the flake8 plugin reads the catalogue on every lint without loading any rule.

The rule fires at every import that binds something from the extension, including imports of an
extension object from the project's own modules (`from .extensions import db`), so each module that
uses an extension is attributed to it.
"""
from __future__ import annotations

import re
from typing import Iterator

from .. import ecosystem
from ..ecosystem import EXTENSIONS, Extension
from ..api import Hit, Use
from ..registry import on_import, rule

# Libraries that are not Flask-specific: their use is a Flask migration concern only in a Flask project.
_FRAMEWORK_AGNOSTIC = frozenset({"celery", "rq", "webargs", "apispec"})


def _category(ext: Extension) -> str:
    return "optional" if ext.verdict == "keep" else "mandatory"


def _slug(ext: Extension) -> str:
    return ext.name_key.removeprefix("flask-").removeprefix("flask")


# apispec documents a web API only when paths, a web-framework plugin or an API spec hook are involved;
# `APISpec(...).components.schema(...)` alone turns marshmallow schemas into JSON Schema (superset's
# db_engine_specs build connection forms that way), which FastAPI's port does not touch.
_APISPEC_FOR_WEB_API = re.compile(
    r"\.path\(|FlaskPlugin|apispec_webframeworks|flask_apispec|add_api_spec|add_apispec_components|openapi\.json")


def _matcher(ext: Extension):  # type: ignore[no-untyped-def]
    def match(use: Use) -> Iterator[Hit]:
        module = use.qual.partition(".")[0].rstrip("()")
        if module in _FRAMEWORK_AGNOSTIC and not use.ctx.uses_flask:
            return  # Celery in a Django or plain-Python module is not a Flask migration concern
        if module == "apispec" and not _APISPEC_FOR_WEB_API.search(use.ctx.text):
            return
        yield use.hit(module=module)

    return match


for _ext in EXTENSIONS:
    _rule = rule(
        _ext.code,
        f"{_slug(_ext)}-extension",
        f"{_ext.distribution} in use",
        f"{_ext.distribution} (`{{module}}`) is used here",
        _ext.counterpart,
        _category(_ext),
        _ext.effort,
        _ext.verdict,
        rationale=(_ext.note + " " if _ext.note else "") + f"Counterpart health: {_ext.health}.",
        links=_ext.links,
        declared_in=ecosystem.__name__,
    )
    on_import(_rule, *_ext.modules)(_matcher(_ext))
