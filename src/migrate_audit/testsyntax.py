"""Test code's functions and calls as syntax, for testclients.py: what a function returns or yields, a
class's bases, a call's first argument."""
from __future__ import annotations

from typing import Iterator

from ast_grep_py import SgNode


def first_argument(call: SgNode) -> SgNode | None:
    """The first positional argument of a call (`app` in `TestApp(app)`), else its `app=` keyword."""
    arguments = call.field("arguments")
    for arg in arguments.named_children() if arguments is not None else ():
        if arg.kind() == "keyword_argument":
            key = arg.field("name")
            if key is not None and key.text() == "app":
                return arg.field("value")
        elif arg.kind() not in ("comment", "list_splat", "dictionary_splat"):
            return arg
    return None


def bases(cls: SgNode) -> list[SgNode]:
    arguments = cls.field("superclasses")
    return [arg for arg in arguments.named_children()] if arguments is not None else []


# Statements that contain statements (`api.returns_of`'s, which finds returns only).
_COMPOUND = frozenset({"block", "if_statement", "elif_clause", "else_clause", "for_statement",
                       "while_statement", "try_statement", "except_clause", "except_group_clause",
                       "finally_clause", "with_statement", "match_statement", "case_clause"})


def exits(function: SgNode) -> Iterator[SgNode]:
    """The values `function` itself returns or yields (`return x`, `yield x`), not those of nested
    functions."""
    body = function.field("body")
    stack = list(body.named_children()) if body is not None else []
    while stack:
        node = stack.pop()
        kind = node.kind()
        if kind == "return_statement":
            value = next(iter(node.named_children()), None)
            if value is not None:
                yield value
        elif kind == "expression_statement":
            inner = next(iter(node.named_children()), None)
            if inner is not None and inner.kind() == "yield":
                value = next(iter(inner.named_children()), None)
                if value is not None:
                    yield value
        elif kind in _COMPOUND:
            stack.extend(node.named_children())
