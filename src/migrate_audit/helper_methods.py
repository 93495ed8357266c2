"""Methods of a project subclass that register what their callers pass in: `class Api(flask_restful.Api)`
with `def add_org_resource(self, resource, *urls): self.add_resource(resource, *urls)`. Each call of such a
method (`api.add_org_resource(Books, "/books")`), in its own module or in one that imports the object, is
a registration: its chain is read as the call the method makes (`flask_restful.Api().add_resource`), so
the registration's rules report every call site.

Like flow.py's call facts, the helpers travel in the file's exports under keys no import can spell
(`~flask_restful.Api().add_org_resource`), and `ProjectIndex.lookup(ALIAS_MARK, qual)` answers for the
whole project (recorded like any answer: a caller analysed before the helper was known is analysed again).
Two helpers of one name that make different registrations cancel out.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from ast_grep_py import SgNode

from . import registry
from .bindings import VIA, _parameter_names, _passed_in
from .index.resolve import ALIAS_MARK, MarkedEntries
from .scopes import IDENTIFIER_RE

if TYPE_CHECKING:
    from .api import Chain, FileContext
    from .index.resolve import ProjectIndex, RecordingIndex

__all__ = ["ALIAS_MARK", "alias_table", "apply", "exports", "note_method"]

REGISTRATIONS = frozenset({"add_resource", "add_url_rule"})
_FOUND = "helper_methods.found"  # in `ctx.memo`: method qual -> registration qual, this file's


def note_method(ctx: FileContext, instance: str, method: SgNode, receivers: Iterable[SgNode]) -> None:
    """Record `method` of a subclass of `instance` (a qual like `flask_restful.Api()`) as a helper when it
    calls `<receiver>.<registration>(...)` with its own parameters (or the loop variables over them)."""
    name = method.field("name")
    if name is None:
        return
    given: set[str] | None = None
    for receiver in receivers:
        attribute = ctx.parents[receiver]
        call = ctx.parents[attribute] if attribute is not None else None
        attr = attribute.field("attribute") if attribute is not None and attribute.kind() == "attribute" else None
        if attr is None or attr.text() not in REGISTRATIONS or call is None or call.kind() != "call" \
                or call.field("function") != attribute:
            continue
        target = f"{instance}.{attr.text()}"
        arguments = call.field("arguments")
        if not registry.has_matchers(target) or arguments is None:
            continue
        if given is None:
            given = _passed_in(method, _parameter_names(method) - {receiver.text()})
        if given & set(IDENTIFIER_RE.findall(arguments.text())):
            ctx.memo.setdefault(_FOUND, {})[f"{instance}.{name.text()}"] = target
            return


def apply(ctx: FileContext, uses: dict[SgNode, Chain], instances: frozenset[str],
          index: ProjectIndex | RecordingIndex | None) -> None:
    """Read each call of a helper method (of an object whose qual is in `instances`) as the registration
    it makes."""
    found: dict[str, str] = ctx.memo.get(_FOUND, {})
    if not found and index is None:
        return
    for node, chain in uses.items():
        if len(chain) < 2 or chain[0][0] not in instances or registry.has_matchers(chain[1][0]):
            continue
        qual, level = chain[1]
        call = ctx.parents[level]
        if call is None or call.kind() != "call" or call.field("function") != level:
            continue
        target = found.get(qual) or (index.lookup(ALIAS_MARK, qual) if index is not None else None)
        if target is not None:
            uses[node] = [chain[0], (target, level)]
            ctx.memo.setdefault(VIA, {})[node] = \
                f"`{qual.rpartition('.')[2]}` calls `{target.rpartition('.')[2]}`"


def exports(ctx: FileContext) -> dict[str, str]:
    """This file's helper methods as exports entries."""
    return {ALIAS_MARK + qual: target for qual, target in ctx.memo.get(_FOUND, {}).items()}


def alias_table(exports: dict[str, dict[str, str]]) -> dict[str, str]:
    """Every module's helper methods: method qual -> registration qual (None where two disagree)."""
    table: dict[str, str | None] = {}
    for key, target in _HELPERS.of(exports):
        qual = key[len(ALIAS_MARK):]
        table[qual] = target if table.get(qual, target) == target else None
    return {qual: target for qual, target in table.items() if target is not None}


def _is_helper(key: str) -> bool:
    return key.startswith(ALIAS_MARK)


_HELPERS = MarkedEntries(_is_helper)
