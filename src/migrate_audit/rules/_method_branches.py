"""Which HTTP methods can reach a statement of a view: the `if request.method == ...` branches around it and the
early returns before it narrow the methods its route answers. A redirect under `if request.method == 'GET':`
never answers the POST of a `methods=['GET', 'POST']` view (issue 19).

Only conditions on `request.method` narrow (`==`, `!=`, `in`, `not in`, combined with `and`, `or`, `not`);
anything else may be true or false for every method, so an unknown condition never hides a finding.
"""
from __future__ import annotations

import re
from bisect import bisect_right

from ast_grep_py import SgNode

from ._common import string_items, string_value

ALL_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
Outcomes = tuple[frozenset[str], frozenset[str]]  # (methods the condition may hold for, methods it may fail for)
_UNKNOWN: Outcomes = (ALL_METHODS, ALL_METHODS)
_EXITS = ("return_statement", "raise_statement")
_ABORT = re.compile(r"(flask\s*\.\s*)?abort\s*\(")


def _is_request_method(node: SgNode) -> bool:
    text = "".join(node.text().split())
    return node.kind() == "attribute" and (text == "request.method" or text.endswith(".request.method"))


def _compared_methods(node: SgNode) -> frozenset[str] | None:
    value = string_value(node)
    values = [value] if value is not None else string_items(node)
    return frozenset(v.upper() for v in values) if values is not None else None


def outcomes(condition: SgNode | None) -> Outcomes:
    """For which methods `condition` may be true, and for which it may be false."""
    if condition is None:
        return _UNKNOWN
    kind = condition.kind()
    if kind == "parenthesized_expression":
        inner = condition.named_children()
        return outcomes(inner[0]) if len(inner) == 1 else _UNKNOWN
    if kind == "not_operator":
        true, false = outcomes(condition.field("argument"))
        return false, true
    if kind == "boolean_operator":
        left, right = outcomes(condition.field("left")), outcomes(condition.field("right"))
        operator = condition.field("operator")
        if operator is not None and operator.text() == "and":
            return left[0] & right[0], left[1] | right[1]
        return left[0] | right[0], left[1] & right[1]
    if kind == "comparison_operator":
        operands = condition.named_children()
        operator = " ".join(child.text() for child in condition.children() if not child.is_named())
        if len(operands) != 2:
            return _UNKNOWN
        left, right = operands
        if _is_request_method(right) and operator in ("==", "!="):
            left, right = right, left
        chosen = _compared_methods(right) if _is_request_method(left) else None
        if chosen is None:
            return _UNKNOWN
        if operator in ("==", "in"):
            return chosen, ALL_METHODS - chosen
        if operator in ("!=", "not in"):
            return ALL_METHODS - chosen, chosen
    return _UNKNOWN


def _same(a: SgNode | None, b: SgNode | None) -> bool:
    return a is not None and b is not None and a.range().start.index == b.range().start.index \
        and a.range().end.index == b.range().end.index and a.kind() == b.kind()


def _exits(block: SgNode | None) -> bool:
    statements = [child for child in block.named_children() if child.kind() != "comment"] if block is not None else []
    if not statements:
        return False
    last = statements[-1]
    # `abort(405)` raises, as a `raise` does.
    return last.kind() in _EXITS or (last.kind() == "expression_statement" and _ABORT.match(last.text()) is not None)


def _after_early_returns(block: SgNode, memo: dict[int, tuple[list[int], list[frozenset[str]]]]) -> \
        tuple[list[int], list[frozenset[str]]]:
    """For each statement of `block`, from where it starts, the methods that get past every
    `if request.method ...: return` before it. Computed once per block (a view with many redirects stays linear)."""
    key = block.range().start.index
    if key not in memo:
        starts, reaching, methods = [], [], ALL_METHODS
        for statement in block.named_children():
            starts.append(statement.range().start.index)
            reaching.append(methods)
            if statement.kind() == "if_statement" and not statement.field_children("alternative") \
                    and _exits(statement.field("consequence")):
                methods = methods & outcomes(statement.field("condition"))[1]
        memo[key] = (starts, reaching)
    return memo[key]


def methods_reaching(node: SgNode, function: SgNode, memo: dict) -> frozenset[str]:  # type: ignore[type-arg]
    """The methods for which `node`, inside `function`, can run (ALL_METHODS when no branch narrows them)."""
    methods, child, parent = ALL_METHODS, node, node.parent()
    while parent is not None and not _same(parent, function):
        kind = parent.kind()
        if kind == "block":
            starts, reaching = _after_early_returns(parent, memo)
            at = bisect_right(starts, child.range().start.index) - 1
            if at >= 0:
                methods &= reaching[at]
        elif kind == "if_statement" and _same(child, parent.field("consequence")):
            methods &= outcomes(parent.field("condition"))[0]
        elif kind in ("elif_clause", "else_clause"):
            statement = parent.parent()
            if statement is not None:
                methods &= outcomes(statement.field("condition"))[1]
                for clause in statement.field_children("alternative"):
                    if _same(clause, parent):
                        break
                    methods &= outcomes(clause.field("condition"))[1]
            if kind == "elif_clause" and _same(child, parent.field("consequence")):
                methods &= outcomes(parent.field("condition"))[0]
        child, parent = parent, parent.parent()
    return methods
