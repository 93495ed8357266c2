"""Flask objects held in an attribute of a class: `self.app = Flask(__name__)` in `__init__` makes every
`self.app` in that class's methods the app (`self.app.add_url_rule(...)`, `self.app.config[...]`), and
`cls.bp = Blueprint(...)` likewise for `cls.bp`.

Scoped to the class that assigns it, and conservative: every assignment of the attribute in the class
(other than `None`) must be the same tracked object; one `self.app = FastAPI()` anywhere in the class
and its `self.app` stays unknown. An attribute set in a base class is not followed into subclasses.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ast_grep_py import SgNode

from .bindings import FACTORY_PREFIX, _model_base, _tracked_class, chain_of

if TYPE_CHECKING:
    from .api import Chain, FileContext

# `self.app = X` / `cls.bp = X`: whether the text has any attribute store worth a query.
# (Each pattern starts with a literal, which `re` searches for fast; one that starts with `\b` or an
# alternation is tried at every position.)
_STORE_RES = [re.compile(rf"{receiver}\s*\.\s*\w+\s*=(?!=)\s*([A-Za-z_]\w*)") for receiver in ("self", "cls")]
_STORES = {"rule": {"kind": "assignment", "regex": r"^(?:self|cls)\s*\.\s*\w+\s*="}}
_UNKNOWN = "?"


def attribute_uses(ctx: FileContext, uses: dict[SgNode, Chain]) -> bool:
    """Add to `uses` every `self.<attr>` / `cls.<attr>` use in a class whose methods store one tracked
    app or Blueprint (or extension object) in that attribute. True when any was added."""
    if all(ctx.bindings.keys().isdisjoint(pattern.findall(ctx.text)) for pattern in _STORE_RES):
        return False  # no store's value starts with a name bound to a Flask object
    added = False
    held: dict[tuple[SgNode, str, str], str] = {}  # (class, receiver, attribute) -> qual or unknown
    for store in ctx.root.find_all(_STORES):
        left, right = store.field("left"), store.field("right")
        if left is None or right is None or left.kind() != "attribute":
            continue
        receiver, attr = left.field("object"), left.field("attribute")
        if receiver is None or attr is None or receiver.kind() != "identifier":
            continue
        cls = _enclosing_class(store, ctx)
        if cls is None or right.kind() == "none":
            continue
        qual = _stored(right, uses) or _UNKNOWN
        key = (cls, receiver.text(), attr.text())
        before = held.get(key)
        held[key] = qual if before is None or before == qual else _UNKNOWN
    for (cls, receiver, attr), qual in held.items():
        if qual == _UNKNOWN:
            continue
        pattern = rf"^{receiver}\s*\.\s*{re.escape(attr)}$"
        for node in cls.find_all(kind="attribute", regex=pattern):
            target = node.field("object")
            parent = ctx.parents[node]
            if target is None or target.kind() != "identifier" or (
                    parent is not None and parent.kind() == "assignment" and parent.field("left") == node):
                continue  # a store, not a use
            uses[node] = chain_of(node, qual, ctx.parents)
            added = True
    return added


def _stored(right: SgNode, uses: dict[SgNode, Chain]) -> str | None:
    """The tracked instance `right` makes or names: `Flask(...)`, `flask.Blueprint(...)`, `create_app()`,
    or a name bound to an instance."""
    if right.kind() == "call":
        function = right.field("function")
        qual = _qual_of(function, uses) if function is not None else None
        if qual is None:
            return None
        if qual.startswith(FACTORY_PREFIX):
            qual = qual[len(FACTORY_PREFIX):-2]
        return f"{qual}()" if _tracked_class(qual) and not _model_base(qual) else None
    qual = _qual_of(right, uses)
    return qual if qual is not None and qual.endswith("()") else None


def _qual_of(node: SgNode, uses: dict[SgNode, Chain]) -> str | None:
    """The qual of an identifier or attribute chain that name resolution followed, at `node`'s level."""
    head = node
    while head.kind() == "attribute":
        inner = head.field("object")
        if inner is None:
            return None
        head = inner
    chain = uses.get(head)
    for qual, level in chain or ():
        if level == node:
            return qual
    return None


def _enclosing_class(node: SgNode, ctx: FileContext) -> SgNode | None:
    """The class whose method (directly) holds `node`."""
    function = ctx.scopes.enclosing_function(node)
    if function is None:
        return None
    holder = ctx.parents[function]
    if holder is not None and holder.kind() == "decorated_definition":
        holder = ctx.parents[holder]
    if holder is None or holder.kind() != "block":
        return None
    cls = ctx.parents[holder]
    return cls if cls is not None and cls.kind() == "class_definition" else None
