"""Small helpers the rule modules share: literal values and the objects that carry Flask's API."""
from __future__ import annotations

import ast
import re

from ast_grep_py import SgNode

from ..api import FileContext

FASTAPI = "https://fastapi.tiangolo.com"
STARLETTE = "https://starlette.dev"
FLASK = "https://flask.palletsprojects.com/en/stable"

# Objects on which Flask's routing and hook API lives: applications and Blueprints (project subclasses
# resolve to these too).
APP = "flask.Flask()"
BLUEPRINT = "flask.Blueprint()"
SCAFFOLDS = (APP, BLUEPRINT)


def members(*attrs: str, on: tuple[str, ...] = SCAFFOLDS) -> tuple[str, ...]:
    """Quals of `attr` on every object in `on`: members("route") -> ("flask.Flask().route", ...)."""
    return tuple(f"{obj}.{attr}" for obj in on for attr in attrs)


_PLAIN_STRING = re.compile(r"""^(['"])([^'"\\\n]*)\1$""")


def string_value(node: SgNode | None) -> str | None:
    """The value of a plain string literal (no f-string interpolation), else None."""
    if node is None or node.kind() not in ("string", "concatenated_string"):
        return None
    text = node.text()
    plain = _PLAIN_STRING.match(text)
    if plain:
        return plain.group(2)  # the common case, without the cost of a full `literal_eval` parse
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    return value if isinstance(value, str) else None


def string_items(node: SgNode | None) -> list[str] | None:
    """`["GET", "POST"]` or `("GET",)` -> ["GET", "POST"]; None when not a literal of strings."""
    if node is None or node.kind() not in ("list", "tuple", "set"):
        return None
    values = [string_value(child) for child in node.named_children()]
    if any(v is None for v in values):
        return None
    return [v for v in values if v is not None]


def import_statements(ctx: FileContext) -> list[SgNode]:
    """The file's `import` and `from ... import` statements, in document order: those the first query
    collected (`FileContext.imports`), else a query of the tree for them."""
    if ctx.imports is not None:
        return ctx.imports
    statements = [*ctx.root.find_all(kind="import_from_statement"), *ctx.root.find_all(kind="import_statement")]
    return sorted(statements, key=lambda node: node.range().start.index)


def imported_module_nodes(stmt: SgNode) -> list[SgNode]:
    """The dotted module names an import statement names: `from a.b import c` -> [a.b]; `import a, b.c as d`
    -> [a, b.c]."""
    if stmt.kind() == "import_from_statement":
        module = stmt.field("module_name")
        return [module] if module is not None else []
    found = []
    for item in stmt.field_children("name"):
        name = item.field("name") if item.kind() == "aliased_import" else item
        if name is not None:
            found.append(name)
    return found


def short(text: str, limit: int = 60) -> str:
    """One line, at most `limit` characters: for messages that quote code."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


_VIEW_DECORATOR_RE = re.compile(r"^@[\w.]+\.(route|get|post|put|patch|delete)\(")


def in_route_view(node: SgNode, ctx: FileContext) -> bool:
    """True when `node` is inside a function decorated as a route, or a method of a class-based view:
    code that runs during a request."""
    # Each ancestor's answer is kept for the file: many calls, each deeper than the last, walk each node once.
    known: dict[SgNode, bool] = ctx.memo.setdefault("in-route-view", {})
    walked = []
    current = ctx.parents[node]
    found = False
    while current is not None:
        if current in known:
            found = known[current]
            break
        walked.append(current)
        if current.kind() == "decorated_definition" and any(
                decorator.kind() == "decorator" and _VIEW_DECORATOR_RE.match(decorator.text())
                for decorator in current.children()):
            found = True
            break
        if current.kind() == "class_definition":
            bases = current.field("superclasses")
            if bases is not None and re.search(r"\b(MethodView|View|Resource)\b", bases.text()):
                found = True
                break
        current = ctx.parents[current]
    for ancestor in walked:
        known[ancestor] = found
    return found
