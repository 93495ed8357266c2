"""scopes.py answers by position and by cached chains what tree-sitter answers by walking: each answer must be
the one the walk gives, on shallow and deep code alike."""
from __future__ import annotations

from ast_grep_py import SgNode, SgRoot

from migrate_audit import scopes
from migrate_audit.engine import analyze_python
from migrate_audit.scopes import Parents, ScopeSpans, span

SOURCE = """\
# é, 😀 and a tab\tbefore code: character offsets are not byte offsets
def outer(a, b='ü'):
    def inner():
        return lambda x: (lambda: x)()
    y = [lambda: z for z in a]
    return inner, y, lambda: (1, 2)

f = lambda: lambda q: q
class C:
    def method(self):
        return lambda: self
x = """ + "f(lambda: " * (3 * scopes._DEEP) + "0" + ")" * (3 * scopes._DEEP) + """
g = lambda: 1, 2
"""


def every_node(root: SgNode) -> list[SgNode]:
    nodes, stack = [], [root]
    while stack:
        node = stack.pop()
        nodes.append(node)
        stack.extend(node.children())
    return nodes


def test_span_is_the_character_offsets_range_gives() -> None:
    for node in every_node(SgRoot(SOURCE, "python").root()):
        where = node.range()
        assert span(node) == (where.start.index, where.end.index), node.kind()


def test_parents_are_tree_sitters_in_shallow_and_deep_statements() -> None:
    nodes = every_node(SgRoot(SOURCE, "python").root())
    assert max(len(node.ancestors()) for node in nodes) > scopes._DEEP  # the top-down mapping is exercised
    parents = Parents()
    for node in reversed(nodes):  # leaves first: deep nodes are asked before the shallow ones they map
        assert parents[node] == node.parent(), node.kind()


def test_innermost_scope_is_the_innermost_one_containing_the_node() -> None:
    root = SgRoot(SOURCE, "python").root()
    found = root.find_all({"rule": {"any": [{"kind": "function_definition"}, {"kind": "lambda"}]}})
    spans = ScopeSpans(found)
    for node in every_node(root):
        start, end = span(node)
        # The definition, by brute force: of the scopes containing the node (never the node itself), the one
        # that starts last (the innermost: scopes nest or are disjoint), the shorter one on a tie.
        containing = [(s, -e, scope) for scope in found for s, e in [span(scope)]
                      if s <= start and end <= e and not (scope == node)]
        expected = max(containing, key=lambda c: c[:2])[2] if containing else None
        assert spans.enclosing(node) == expected, (node.kind(), node.text()[:40])
        kinds = [a.kind() for a in node.ancestors()]
        expected_function = next((a for a in node.ancestors() if a.kind() == "function_definition"), None)
        if expected is None or span(expected) != span(node):  # an expression statement is its lambda's span
            assert spans.enclosing_function(node) == expected_function, (node.kind(), kinds[:3])


def test_a_chained_assignment_keeps_a_flask_value_only_when_its_right_end_names_one() -> None:
    text = ("from flask import request\n"
            "def local():\n    request = other = make()\n    return request.args\n"
            "def flask_value():\n    request = other = request\n    return request.args\n"
            "def flask_value_first():\n    request = other = request.args if ok else request\n    return request.form\n")
    found = [(f.code, f.line) for f in analyze_python(text, "app.py").findings if f.code in ("FMA201", "FMA202")]
    assert found == [("FMA201", 7), ("FMA201", 9), ("FMA202", 10)]
