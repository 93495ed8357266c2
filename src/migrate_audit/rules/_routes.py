"""The literal URL rules that a route registration passes, and where a placeholder stands in one: read by
the routing rules (converters) and the silent-change rules (converter semantics)."""
from __future__ import annotations

from typing import Iterator

from ast_grep_py import SgNode

from ..api import Use
from ._common import string_value


def is_route_helper_call(use: Use) -> bool:
    """A call of a project function that wraps `add_url_rule` (the engine binds its name to
    `<scaffold>.add_url_rule`): `register_view(bp, routes=[...], view_func=...)`."""
    return use.node.kind() == "identifier" and use.qual.endswith(".add_url_rule")


def route_paths(use: Use) -> Iterator[tuple[SgNode, str]]:
    """The literal URL rules a route registration passes: its first argument (or `rule=`); for a project
    helper around `add_url_rule`, whose parameters are its own, every string argument (or item of a list
    argument) that starts with `/`."""
    if use.call is None:
        return
    positional, keywords = use.arguments()
    if not is_route_helper_call(use):
        node = positional[0] if positional else keywords.get("rule")
        path = string_value(node)
        if node is not None and path is not None:
            yield node, path
        return
    for argument in [*positional, *keywords.values()]:
        for node in argument.named_children() if argument.kind() in ("list", "tuple") else (argument,):
            path = string_value(node)
            if path is not None and path.startswith("/"):
                yield node, path


def placeholder_position(string: SgNode, placeholder: str) -> tuple[int, int, int, int] | None:
    """Where `<int:id>` stands in the source, so two converters in one path are two findings."""
    offset = string.text().find(placeholder)
    start = string.range().start
    if offset < 0 or "\n" in string.text()[:offset]:
        return None  # escaped or multi-line: fall back to the string's own position
    column = start.column + offset + 1
    return start.line + 1, column, start.line + 1, column + len(placeholder)
