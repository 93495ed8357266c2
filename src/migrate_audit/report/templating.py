"""The jinja2 environment of the HTML report.

Templates live in the top-level `reports/templates/` folder; pyproject.toml maps that folder into the
wheel as the package `migrate_audit._templates`, so the same importlib.resources lookup finds them in an
installed wheel and in an editable checkout.

Escaping is not optional here: every string in a report can come from the scanned code (paths, route
strings, Blueprint names, messages quoting source), so the environment autoescapes everything
(`autoescape=True`; `select_autoescape` would match on the file suffix and skip `*.j2`) and a missing
variable fails loudly (StrictUndefined) instead of rendering an empty cell.
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any, Callable

import jinja2
from markupsafe import Markup, escape

from . import jsonsafe

TEMPLATES_PACKAGE = "migrate_audit._templates"

# Inside <script> the HTML parser ends the element at `</script` and treats `<!--` specially whatever the
# JSON means, so none of <, >, & may appear raw; U+2028/2029 are escaped for old JavaScript parsers.
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_SCRIPT_UNSAFE = re.compile("[<>&\u2028\u2029]")
_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_SAFE_URL = re.compile(r"^https?://[^\s\"'<>`]+$", re.IGNORECASE)


class ResourceLoader(jinja2.BaseLoader):
    """Loads templates with importlib.resources (works from a wheel, a zip or an editable install)."""

    def __init__(self, package: str) -> None:
        self.package = package

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str | None, Callable[[], bool]]:
        resource = resources.files(self.package).joinpath(template)
        if not resource.is_file():
            raise jinja2.TemplateNotFound(template)
        return resource.read_text(encoding="utf-8"), None, lambda: True


def script_json(data: Any) -> Markup:
    """JSON that is safe inside <script type="application/json">: the one place raw text goes in."""
    text = jsonsafe.dumps(data, sort_keys=True, separators=(",", ":"))
    return Markup(_SCRIPT_UNSAFE.sub(lambda m: _SCRIPT_ESCAPES[m.group(0)], text))


def inline_code(text: str) -> Markup:
    """Escape `text` and turn its `backtick` spans (the rule metadata's markdown) into <code>."""
    parts = _CODE_SPAN.split(str(text))
    out = [escape(part) if i % 2 == 0 else Markup("<code>%s</code>") % part for i, part in enumerate(parts)]
    return Markup("").join(out)


def safe_url(url: str) -> str:
    """Only absolute http(s) links become hrefs; anything else (javascript:, data:) becomes inert."""
    return url if _SAFE_URL.match(url or "") else "#"


def asset(name: str) -> Markup:
    """A stylesheet or script from the templates folder, inlined verbatim (not parsed as a template, so
    `{{` in JavaScript is harmless). It must not be able to close its own element early."""
    text = resources.files(TEMPLATES_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    if re.search(r"</(script|style)", text, re.IGNORECASE):
        raise ValueError(f"{name} contains a closing </script> or </style> tag")
    return Markup(text)


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=ResourceLoader(TEMPLATES_PACKAGE),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["inline_code"] = inline_code
    env.filters["safe_url"] = safe_url
    env.filters["thousands"] = lambda n: f"{n:,}"
    env.globals["asset"] = asset
    return env
