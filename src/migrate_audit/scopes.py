"""Where things are in one parsed file: each node's parent, the functions and lambdas around a node, and
whether a use of a module-level Flask name is hidden by a local of an enclosing function.

Every answer here costs the same however deep the node sits. Two tree-sitter calls are not like that:
`parent()` walks down from the root (it costs the node's depth) and `range()` counts its columns from the
start of the line (it costs the node's column). Walking up a 10,000-level expression one `parent()` at a
time, or asking `range()` of every lambda on one 100 kB line, was quadratic.
"""
from __future__ import annotations

import bisect
import re
import weakref
from typing import TYPE_CHECKING

from ast_grep_py import SgNode

if TYPE_CHECKING:
    from .api import FileContext

IDENTIFIER_RE = re.compile(r"[A-Za-z_]\w*")
# A node this deep (levels below the module) has its whole top-level statement mapped at once (`Parents`).
_DEEP = 64


def span(node: SgNode) -> tuple[int, int]:
    """The node's start and end as character offsets in the text: `range().start.index` and
    `range().end.index`, without the line and column that `range()` also computes (the column count walks
    the line: on one long line every `range()` costs the line's length). `replace` only describes the
    edit it would make, with the node's character offsets; nothing is changed."""
    edit = node.replace("")
    return edit.start_pos, edit.end_pos


class Parents(dict):  # type: ignore[type-arg]
    """`parents[node]` is `node.parent()`, computed once per node and in time linear in the file.

    A lookup asks `ancestors()` (one walk, the cost of one `parent()`) and keeps the whole chain, so
    walking up from a node costs one walk. A node deeper than `_DEEP` has its whole top-level statement
    mapped top down instead: then the parents of every other node in it (10,000 uses in a 10,000-deep
    expression) are known without a walk each. Each top-level statement is mapped at most once."""

    def __missing__(self, node: SgNode) -> SgNode | None:
        ancestors = node.ancestors()
        if len(ancestors) > _DEEP:
            self._map(ancestors[-2])
            self[ancestors[-2]] = ancestors[-1]
        else:
            for child, parent in zip([node, *ancestors], ancestors):
                if child in self:
                    break  # a node met before: its ancestors are known (or found on demand) too
                self[child] = parent
        self.setdefault(ancestors[-1] if ancestors else node, None)  # the module
        if node not in self:  # never expected: then ask tree-sitter
            self[node] = node.parent()
        return dict.__getitem__(self, node)

    def _map(self, top: SgNode) -> None:
        stack = [top]
        while stack:
            parent = stack.pop()
            children = parent.children()
            for child in children:
                self[child] = parent
            stack.extend(children)


class ScopeSpans:
    """The file's functions and lambdas by position, to find a node's enclosing scope without walking its
    parents. Scopes nest or are disjoint (they are nodes of one tree), sorted by start; a scope is known by
    its number in that order: `scope(i)`, `start(i)`, `outer(i)`.

    `innermost` looks a position up in a table of segments (from each scope boundary to the next, the
    innermost scope covering it): no walk through the scopes that close before the node, which made each
    use after N nested closed functions cost N."""

    def __init__(self, nodes: list[SgNode]) -> None:
        spans = sorted(((*span(n), n) for n in nodes), key=lambda s: (s[0], -s[1]))
        self._starts = [start for start, _, _ in spans]
        self._spans = spans
        self._outer: list[int] = []  # the innermost scope containing scope i, or -1
        self._bounds: list[int] = []  # segment starts: from _bounds[k], `_inner[k]` is the innermost scope
        self._inner: list[int] = []
        self._top: list[int] = []  # the outermost scope containing scope i (i itself when none does)
        stack: list[int] = []
        for i, (start, end, _) in enumerate(spans):
            while stack and spans[stack[-1]][1] < end:
                self._mark(spans[stack.pop()][1], stack[-1] if stack else -1)
            self._outer.append(stack[-1] if stack else -1)
            self._top.append(self._top[stack[-1]] if stack else i)
            self._mark(start, i)
            stack.append(i)
        while stack:
            self._mark(spans[stack.pop()][1], stack[-1] if stack else -1)
        self._function: list[int] | None = None

    def _mark(self, position: int, scope: int) -> None:
        if self._bounds and self._bounds[-1] == position:
            self._inner[-1] = scope  # a scope that starts where another ends covers that position
        else:
            self._bounds.append(position)
            self._inner.append(scope)

    def innermost(self, node: SgNode) -> int:
        """The number of the innermost function or lambda strictly containing `node` (never `node`
        itself), or -1."""
        start, end = span(node)
        if start == end:  # an empty node (a token tree-sitter invented) at a scope's end is inside it
            i = bisect.bisect_right(self._starts, start) - 1
        else:
            k = bisect.bisect_right(self._bounds, start) - 1
            i = self._inner[k] if k >= 0 else -1
        # Only scopes that start where `node` starts (inside it, or `node` itself) are skipped here.
        while i >= 0:
            span_start, span_end, scope = self._spans[i]
            if span_start <= start and end <= span_end and not (span_start == start and span_end == end
                                                                and scope == node):
                return i
            i = self._outer[i]
        return -1

    def scope(self, i: int) -> SgNode:
        return self._spans[i][2]

    def has_inner(self, i: int) -> bool:
        """True when a function or lambda is nested in scope `i` (it would start right after `i`)."""
        return i + 1 < len(self._spans) and self._spans[i + 1][0] < self._spans[i][1]

    def outer(self, i: int) -> int:
        """The scope enclosing scope `i` (-1 for none): `innermost(scope(i))` without a lookup."""
        return self._outer[i]

    def outermost(self, i: int) -> int:
        """The top-level scope holding scope `i` (`i` itself when no scope encloses it)."""
        return self._top[i]

    def enclosing(self, node: SgNode) -> SgNode | None:
        """The innermost function or lambda strictly containing `node` (never `node` itself)."""
        i = self.innermost(node)
        return self._spans[i][2] if i >= 0 else None

    def enclosing_function(self, node: SgNode) -> SgNode | None:
        """The innermost `def` containing `node`, through any lambdas in between."""
        if self._function is None:  # for each scope, its nearest `def`: one pass (outer scopes come first)
            self._function = []
            for i, (_, _, scope) in enumerate(self._spans):
                outer = self._outer[i]
                self._function.append(i if scope.kind() == "function_definition" else
                                      self._function[outer] if outer >= 0 else -1)
        i = self.innermost(node)
        i = self._function[i] if i >= 0 else -1
        return self._spans[i][2] if i >= 0 else None


# Instances a parameter named like the module's own is taken to be (see `_read_local_names`).
_APPS = frozenset({"flask.Flask()", "quart.Quart()"})
# Statements that bind a name in the function they are in.
_LOCAL_BINDERS = {"rule": {"any": [{"kind": "assignment"}, {"kind": "for_statement"}]}}
# `for` first, then the word boundary as a look-behind: a pattern that starts with a literal is searched for
# that literal (fast), one that starts with `\b` is tried at every position (15 times slower on a file).
_FOR_TARGETS_RE = re.compile(r"for(?<!\wfor)[ \t(]+([\w \t,()]+?)[ \t)]+in\b")
_COMPREHENSIONS = {"rule": {"any": [{"kind": kind} for kind in (
    "list_comprehension", "set_comprehension", "dictionary_comprehension", "generator_expression")]}}


class Shadowing:
    """Which uses of a file's module-level names are really locals of an enclosing function or lambda:
    `def view(request: StarletteRequest)` in a module that also imports `flask.request`, a local
    `shelf = query(...)` in a module whose Blueprint is called `shelf`, or a comprehension variable
    (`{g.id for g in groups}`).

    A scope's local names are read the first time they are needed, with the file's bindings as they are
    then (name resolution grows them), and kept. For each (scope, name) the nearest scope outward whose
    local hides `name` is kept too, so the scopes around a use are walked once per name, not once per use."""

    def __init__(self, ctx: FileContext) -> None:
        # A weak reference: the context holds its Shadowing, and a strong one back would make a cycle
        # that keeps the file's whole analysis (text, tree-sitter tree, nodes) alive after it ends, until
        # a full garbage collection, rare while a scan runs (workers.GC_THRESHOLD). A worker then held
        # the trees of hundreds of files: 290 MB instead of about 50 on the bench corpus.
        self._ctx = weakref.proxy(ctx)
        # Names assigned inside a scope from a Flask value (`app = Flask()` in `create_app`): (scope, name).
        # These locals are the Flask object, not a shadowing local.
        self._tracked: set[tuple[int, str]] = set()
        self._locals: dict[int, frozenset[str]] = {}
        self._binders: dict[int, list[SgNode]] = {}  # per scope, its own assignments and `for` statements
        self._bindered: set[int] = set()  # top-level scopes whose binders are in `_binders`
        self._nearest: dict[tuple[int, str], int] = {}  # (scope, name) -> scope whose local hides it, or -1
        self._relying: dict[tuple[int, str], list[int]] = {}  # (hiding scope, name) -> scopes whose answer it is
        self._for_targets: frozenset[str] | None = None  # names some `for` binds, read from the text
        self._binder_starts: list[int | None] = []  # where each of `ctx.binders` starts, once asked
        self._comprehensions: dict[str, list[tuple[int, int]]] | None = None  # name -> where it is bound

    def track(self, scope: int, name: str) -> bool:
        """`name` in `scope` holds a Flask value: it hides nothing there. False when already known."""
        if (scope, name) in self._tracked:
            return False
        self._tracked.add((scope, name))
        # Tracking only ever removes a hiding local: the answers that named this scope are the stale ones.
        for inner in self._relying.pop((scope, name), ()):
            self._nearest.pop((inner, name), None)
        return True

    def shadowed(self, node: SgNode, name: str) -> bool:
        """True when `node` (whose text is `name`) names a local rather than the file's binding."""
        if self._comprehension_variable(node, name):
            return True
        scope = self._ctx.scopes.innermost(node)
        holders = self._ctx.scoped.get(name)
        if holders is not None and not self._inside(scope, holders):
            return True  # a parameter's name, used outside the functions where it is the app
        return scope >= 0 and self._nearest_local(scope, name) >= 0

    def _inside(self, scope: int, holders: set[SgNode]) -> bool:
        spans = self._ctx.scopes
        while scope >= 0:
            if spans.scope(scope) in holders:
                return True
            scope = spans.outer(scope)
        return False

    def _nearest_local(self, scope: int, name: str) -> int:
        spans = self._ctx.scopes
        walked = []
        found = -1
        while scope >= 0:
            known = self._nearest.get((scope, name))
            if known is not None:
                found = known
                break
            walked.append(scope)
            if (scope, name) not in self._tracked and name in self._local_names(scope):
                found = scope
                break
            scope = spans.outer(scope)
        for inner in walked:
            self._nearest[inner, name] = found
        if found >= 0:
            self._relying.setdefault((found, name), []).extend(walked)
        return found

    def _comprehension_variable(self, node: SgNode, name: str) -> bool:
        """True when a comprehension around `node` binds `name` in one of its `for` clauses. By position,
        like `ScopeSpans`."""
        if self._for_targets is None:  # one text scan per file: most Flask names are never loop variables
            self._for_targets = frozenset(ident for match in _FOR_TARGETS_RE.findall(self._ctx.text)
                                          for ident in IDENTIFIER_RE.findall(match))
        if name not in self._for_targets:
            return False
        spans = self._comprehensions
        if spans is None:  # one query per file, and only for files where a Flask name is a loop variable
            spans = self._comprehensions = {}
            for comprehension in self._ctx.root.find_all(_COMPREHENSIONS):
                where = span(comprehension)
                for clause in comprehension.named_children():
                    target = clause.field("left") if clause.kind() == "for_in_clause" else None
                    for ident in IDENTIFIER_RE.findall(target.text()) if target is not None else ():
                        spans.setdefault(ident, []).append(where)
        position = span(node)[0]
        return any(start <= position < end for start, end in spans.get(name, ()))

    def _local_names(self, number: int) -> frozenset[str]:
        """Names function or lambda `number` binds that hide a module-level Flask name of the same spelling.
        Identifiers inside targets and values are read from their text."""
        local = self._locals.get(number)
        if local is None:
            local = self._locals[number] = self._read_local_names(number)
        return local

    def _read_local_names(self, number: int) -> frozenset[str]:
        ctx = self._ctx
        scope = ctx.scopes.scope(number)
        local: set[str] = set()
        params = scope.field("parameters")
        for param in params.named_children() if params is not None else ():
            kind = param.kind()
            ident = param if kind == "identifier" else param.child(0)
            if ident is None or ident.kind() != "identifier":
                continue
            annotation = param.field("type")
            if annotation is not None:
                # `app: Flask` stays the app; `request: Request` (Starlette's) is another object.
                if not any(ctx.bindings.get(name, "").startswith(("flask", "werkzeug"))
                           for name in IDENTIFIER_RE.findall(annotation.text())):
                    local.add(ident.text())
            elif ident.text() in ctx.bindings and ident.text() not in ctx.scoped \
                    and ctx.bindings[ident.text()] not in _APPS:
                # An unannotated parameter is the caller's object (`def f(shelf)` beside `shelf =
                # Blueprint(...)` takes a row), except one named like the module's app: `init_app(app)`
                # and pytest's `client(app)` are handed that app. Where every call passes the module's
                # object, flow.py tracks the parameter (`track`); one flow.py bound (`ctx.scoped`) holds
                # in its functions only (`shadowed`).
                local.add(ident.text())
        keeps_flask: dict[SgNode, bool] = {}
        for binder in reversed(self._binders_of(number)):  # inner assignments of a chain `a = b = c` first
            left = binder.field("left")
            if left is None or left.kind() not in ("identifier", "pattern_list", "tuple_pattern", "list_pattern"):
                continue
            if binder.kind() == "assignment" and self._keeps_flask(binder, keeps_flask):
                continue  # `app = current_app._get_current_object()` keeps a Flask value
            local.update(IDENTIFIER_RE.findall(left.text()))
        return frozenset(local)

    def _keeps_flask(self, assignment: SgNode, known: dict[SgNode, bool]) -> bool:
        """True when the right side of `assignment` names a bound name. In a chain `a = b = value` the
        right side of `a = ...` is `b = value`, whose own answer is in `known`: only the text before it
        is read again (reading every right side whole was quadratic in the length of the chain)."""
        right = assignment.field("right")
        if right is None:
            return False
        inner = right.field("right") if right.kind() == "assignment" else None
        if inner is None or right not in known:
            text = right.text()
        elif known[right]:
            known[assignment] = True
            return True
        else:  # `b = ` (and its annotation), without `value`
            (start, end), (inner_start, inner_end) = span(right), span(inner)
            text = self._ctx.text[start:inner_start] + " " + self._ctx.text[inner_end:end]
        found = known[assignment] = not self._ctx.bindings.keys().isdisjoint(IDENTIFIER_RE.findall(text))
        return found

    def _binders_of(self, number: int) -> list[SgNode]:
        """The assignments and `for` statements of scope `number` itself, not of scopes nested in it. One
        query per top-level scope, its binders dealt out to the scopes they are in: a query per scope read
        the body of every enclosing scope again (quadratic in the nesting)."""
        spans = self._ctx.scopes
        top = spans.outermost(number)
        if top not in self._bindered:
            self._bindered.add(top)
            body = spans.scope(top).field("body")
            binders = [] if body is None else self._binders_in(body)
            if not spans.has_inner(top):  # else every binder in the body is the function's own
                self._binders[top] = binders
            else:
                for binder in binders:
                    self._binders.setdefault(spans.innermost(binder), []).append(binder)
        return self._binders.get(number, [])

    def _binders_in(self, body: SgNode) -> list[SgNode]:
        """The assignments and `for` statements inside `body`, in document order: those of the file's
        first query (`ctx.binders`, in document order, so sorted by start) that start inside its span,
        found by bisection; each start is read once, when a bisection first needs it."""
        collected = self._ctx.binders
        if collected is None:
            return body.find_all(_LOCAL_BINDERS)
        starts = self._binder_starts
        if len(starts) != len(collected):
            starts[:] = [None] * len(collected)

        def first_from(position: int, low: int) -> int:  # the first binder starting at `position` or after
            high = len(collected)
            while low < high:
                middle = (low + high) // 2
                start = starts[middle]
                if start is None:
                    start = starts[middle] = span(collected[middle])[0]
                if start < position:
                    low = middle + 1
                else:
                    high = middle
            return low

        begin, end = span(body)
        low = first_from(begin, 0)
        return collected[low:first_from(end, low)]
