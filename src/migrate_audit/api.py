"""The rule API: what a rule module is written against, and all it may import from the engine.

A matcher registered with `registry.on_use` gets a `Use` (one use of a Flask-bound name, at one level of
its attribute chain), one registered with `registry.on_import` gets a `Use` of the imported name, one
registered with `registry.on_file` gets the `FileContext`, and the fallback registered with
`registry.on_unmatched` gets the `Chain` of a use that no other matcher covers. Every matcher yields
`Hit`s: where, and the values of the rule's message placeholders; the engine turns them into findings.

`FileContext` is the file as the matchers see it: its text, path, module, parse tree, the names bound to
Flask objects (`bindings`), each node's parent (`parents`, use it rather than `node.parent()`, which costs
the node's depth), the functions and lambdas around a node (`scopes`), and `memo`, scratch space for
matchers that report once per file.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Iterator

from ast_grep_py import SgNode

from . import names
from .model import SyntaxCheck
from .scopes import Parents, ScopeSpans, Shadowing

# A use's attribute chain, from the bound name outward: `request.args.get` seen from `request` is
# [("flask.request", request), ("flask.request.args", request.args), ("flask.request.args.get", ...)].
Chain = list[tuple[str, SgNode]]


@dataclass(frozen=True)
class Hit:
    """What a matcher reports: where, and the values for the rule's message placeholders."""

    node: SgNode
    args: dict[str, str] = field(default_factory=dict)
    # (line, column, end_line, end_column), 1-based, when the finding is a part of the node (a converter
    # inside a route string) rather than the whole node.
    position: tuple[int, int, int, int] | None = None
    # How the object was reached when the source does not show it (`self` in a Flask subclass): findings.py
    # appends it to the message. Set by the engine from name resolution's `VIA` notes, not by rules.
    via: str = ""


@dataclass
class FileContext:
    text: str
    path: str
    module: str
    root: SgNode
    bindings: dict[str, str] = field(default_factory=dict)
    syntax: SyntaxCheck = field(default_factory=lambda: SyntaxCheck())
    project_uses_flask: bool = False
    consulted_project_flask: bool = False
    functions: list[SgNode] = field(default_factory=list)
    lambdas: list[SgNode] = field(default_factory=list)
    # The file's assignments and `for` statements in document order, when the first query collected
    # them (bindings.bind_imports); None: `Shadowing` queries each function's body for its own.
    binders: list[SgNode] | None = None
    # The file's `import` and `from ... import` statements in document order, when the first query
    # collected them (bindings.bind_imports); None: `import_statements` queries the tree for them.
    imports: list[SgNode] | None = None
    blueprints: list[str] = field(default_factory=list)
    # Names bound only inside some functions: parameters every caller passes the same app (flow.py).
    scoped: dict[str, set[SgNode]] = field(default_factory=dict)
    # Per-file scratch space for matchers that report once per file (`db.session`, session cookies).
    memo: dict[str, Any] = field(default_factory=dict)
    parents: Parents = field(default_factory=Parents)
    _lines: list[str] | None = None
    _scope_spans: ScopeSpans | None = None
    _shadowing: Shadowing | None = None

    @property
    def scopes(self) -> ScopeSpans:
        if self._scope_spans is None:
            self._scope_spans = ScopeSpans([*self.functions, *self.lambdas])
        return self._scope_spans

    @property
    def shadowing(self) -> Shadowing:
        """Which uses of module-level names are locals of an enclosing function (name resolution's)."""
        if self._shadowing is None:
            self._shadowing = Shadowing(self)
        return self._shadowing

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self.text.split("\n")
        return self._lines

    @property
    def uses_flask(self) -> bool:
        """True when this file, or the project it belongs to, uses Flask or a Flask extension."""
        if any(names.root_module(q) == "flask" or q.startswith("flask_") for q in self.bindings.values()):
            return True
        self.consulted_project_flask = True  # the result now depends on the whole project's answer
        return self.project_uses_flask


@dataclass
class Use:
    """One use of a Flask-bound name, at one level of its attribute chain."""

    qual: str
    node: SgNode
    ctx: FileContext

    def hit(self, node: SgNode | None = None, **args: str) -> Hit:
        return Hit(node or self.node, args)

    @property
    def parent(self) -> SgNode | None:
        return self.ctx.parents[self.node]

    # `call`, `arguments()` and `decorated` are computed once: every matcher of a qual gets the same Use, and
    # the route rules each ask for the route's arguments.
    @functools.cached_property
    def call(self) -> SgNode | None:
        """The call expression when this use is the called function: `jsonify(...)`."""
        parent = self.ctx.parents[self.node]
        if parent is not None and parent.kind() == "call" and parent.field("function") == self.node:
            return parent
        return None

    def arguments(self) -> tuple[list[SgNode], dict[str, SgNode]]:
        """The call's positional and keyword arguments (new containers each time: callers may change them)."""
        positional, keywords = self._arguments
        return list(positional), dict(keywords)

    @functools.cached_property
    def _arguments(self) -> tuple[list[SgNode], dict[str, SgNode]]:
        call = self.call
        if call is None:
            return [], {}
        positional: list[SgNode] = []
        keywords: dict[str, SgNode] = {}
        arglist = call.field("arguments")
        for arg in arglist.named_children() if arglist is not None else []:
            if arg.kind() == "keyword_argument":
                name, value = arg.field("name"), arg.field("value")
                if name is not None and value is not None:
                    keywords[name.text()] = value
            elif arg.kind() != "comment":
                positional.append(arg)
        return positional, keywords

    @functools.cached_property
    def decorated(self) -> SgNode | None:
        """The function or class this use decorates (`@app.route(...)` or `@login_required`)."""
        node = self.call or self.node
        parent = self.ctx.parents[node]
        if parent is None or parent.kind() != "decorator":
            return None
        definition = self.ctx.parents[parent]
        return definition.field("definition") if definition is not None else None


# Statements that contain statements: a return can only be inside these (never inside an expression).
_COMPOUND = frozenset({"block", "if_statement", "elif_clause", "else_clause", "for_statement",
                       "while_statement", "try_statement", "except_clause", "except_group_clause",
                       "finally_clause", "with_statement", "match_statement", "case_clause"})


def returns_of(function: SgNode) -> Iterator[SgNode]:
    """Return statements of `function` itself, not of functions or classes nested in it. A walk over
    statements only, in Python: cheaper than a tree query per function."""
    body = function.field("body")
    if body is None:
        return
    stack = list(body.named_children())
    while stack:
        node = stack.pop()
        kind = node.kind()
        if kind == "return_statement":
            yield node
        elif kind in _COMPOUND:
            stack.extend(node.named_children())
