"""The pure engine: source text in, findings out. No I/O, no imports of scanned code.

One parse per file (tree-sitter through ast-grep-py), one query per round of name resolution: the
engine asks for every identifier whose text is a name bound to a Flask object, resolves each one's
attribute chain (`request.args.get` -> `flask.request`, `flask.request.args`, ...) and runs the matchers
registered for those qualified names. Files that never mention Flask are never parsed at all.
"""
from __future__ import annotations

import ast
import bisect
import functools
import re
import symtable
import sys
import warnings
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from ast_grep_py import SgNode, SgRoot

from . import names, registry
from .prefilter import text_imports
from .model import Diagnostic, FileResult, Finding, Rule, SyntaxCheck
from .resolve import ImportBinding, ProjectIndex, RecordingIndex, iter_import_bindings, module_name_for
from .source import normalize_newlines, printable_text, without_surrogates
from .suppressions import is_suppressed
from .template_facts import declared_template_folders, route_parameter_names, template_context_names

GENERIC_RULE_CODE = "FMA900"
# Where a binding is made rather than used: the identifier in these positions is not a use.
_BINDING_PARENTS = frozenset(
    {"dotted_name", "aliased_import", "parameters", "typed_parameter", "default_parameter",
     "typed_default_parameter", "list_splat_pattern", "dictionary_splat_pattern", "global_statement",
     "nonlocal_statement", "import_prefix", "relative_import"}
)
_MAX_RESOLUTION_ROUNDS = 8
_MAX_CHAIN = 16  # attribute levels followed from a Flask name: `request.args.get` is 3


@dataclass(frozen=True)
class Hit:
    """What a matcher reports: where, and the values for the rule's message placeholders."""

    node: SgNode
    args: dict[str, str] = field(default_factory=dict)
    # (line, column, end_line, end_column), 1-based, when the finding is a part of the node (a converter
    # inside a route string) rather than the whole node.
    position: tuple[int, int, int, int] | None = None


class Parents(dict):  # type: ignore[type-arg]
    """`parents[node]` is `node.parent()`, computed once. tree-sitter finds a parent by walking down from
    the root, so each call costs the node's depth: uncached, 10,000 uses in a 10,000-deep expression
    took 25 s."""

    def __missing__(self, node: SgNode) -> SgNode | None:
        parent = node.parent()
        self[node] = parent
        return parent


class ScopeSpans:
    """The file's functions and lambdas by position, to find a node's enclosing scope without walking
    its parents: each `parent()` costs the node's depth, so walking up from the middle of a
    10,000-level expression was quadratic (15 s for one use). Scopes nest or are disjoint, so the
    innermost one containing a node is on the chain of enclosing scopes of the last scope starting
    before it."""

    def __init__(self, nodes: list[SgNode]) -> None:
        spans = sorted(((n.range().start.index, n.range().end.index, n) for n in nodes),
                       key=lambda span: (span[0], -span[1]))
        self._starts = [start for start, _, _ in spans]
        self._spans = spans
        self._outer: list[int] = []  # index of the innermost span containing span i, or -1
        stack: list[int] = []
        for start, end, _ in spans:
            while stack and spans[stack[-1]][1] < end:
                stack.pop()
            self._outer.append(stack[-1] if stack else -1)
            stack.append(len(self._outer) - 1)

    def innermost(self, node: SgNode) -> int:
        """The number of the innermost function or lambda strictly containing `node` (never `node`
        itself), or -1. A number stands for its scope: `scope(i)`, `start(i)`, `outer(i)`."""
        where = node.range()
        start, end = where.start.index, where.end.index
        i = bisect.bisect_right(self._starts, start) - 1
        while i >= 0:
            span_start, span_end, scope = self._spans[i]
            if span_start <= start and end <= span_end and not (span_start == start and span_end == end
                                                                and scope == node):
                return i
            i = self._outer[i]
        return -1

    def scope(self, i: int) -> SgNode:
        return self._spans[i][2]

    def start(self, i: int) -> int:
        """Where scope `i` starts: its key in `FileContext._scopes` and `tracked_locals`."""
        return self._starts[i]

    def has_inner(self, i: int) -> bool:
        """True when a function or lambda is nested in scope `i` (it would start right after `i`)."""
        return i + 1 < len(self._spans) and self._spans[i + 1][0] < self._spans[i][1]

    def outer(self, i: int) -> int:
        """The scope enclosing scope `i` (-1 for none): `innermost(scope(i))` without a lookup."""
        return self._outer[i]

    def enclosing(self, node: SgNode) -> SgNode | None:
        """The innermost function or lambda strictly containing `node` (never `node` itself)."""
        i = self.innermost(node)
        return self._spans[i][2] if i >= 0 else None

    def enclosing_function(self, node: SgNode) -> SgNode | None:
        """The innermost `def` containing `node`, through any lambdas in between."""
        scope = self.enclosing(node)
        while scope is not None and scope.kind() != "function_definition":
            scope = self.enclosing(scope)
        return scope


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
    blueprints: list[str] = field(default_factory=list)
    # Per-file scratch space for matchers that report once per file (`db.session`, session cookies).
    memo: dict[str, Any] = field(default_factory=dict)
    # Names assigned inside a function from a Flask value (`app = Flask()` in `create_app`): these locals
    # are the Flask object, not a shadowing local.
    tracked_locals: set[tuple[int, str]] = field(default_factory=set)
    _scopes: dict[int, frozenset[str]] = field(default_factory=dict)
    # (innermost scope number, name) -> whether a local of that scope or an enclosing one hides the name:
    # uses of one name in one function are many. It reads `tracked_locals`, so it is emptied when that grows.
    _shadowed_in: dict[tuple[int, str], bool] = field(default_factory=dict)
    parents: Parents = field(default_factory=Parents)
    _lines: list[str] | None = None
    _scope_spans: ScopeSpans | None = None

    @property
    def scopes(self) -> ScopeSpans:
        if self._scope_spans is None:
            self._scope_spans = ScopeSpans([*self.functions, *self.lambdas])
        return self._scope_spans

    def track_local(self, scope_key: int, name: str) -> None:
        if (scope_key, name) not in self.tracked_locals:
            self.tracked_locals.add((scope_key, name))
            self._shadowed_in.clear()

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


def _is_use_site(node: SgNode, parents: Parents) -> bool:
    parent = parents[node]
    if parent is None:
        return True
    kind = parent.kind()
    if kind in _BINDING_PARENTS:
        return False
    if kind == "attribute":
        return parent.field("object") == node  # `x.request`: `request` is an attribute name here
    if kind == "keyword_argument":
        return parent.field("value") == node
    if kind in ("function_definition", "class_definition"):
        return parent.field("name") != node
    if kind == "assignment":
        return parent.field("left") != node
    return True


def _chain(node: SgNode, base: str, parents: Parents) -> list[tuple[str, SgNode]]:
    """`request.args.get` seen from `request`: [(flask.request, request), (flask.request.args, ...)]."""
    chain = [(base, node)]
    current, qual = node, base
    while len(chain) < _MAX_CHAIN:  # no Flask API is deeper; generated `a.a.a...` chains are
        parent = parents[current]
        if parent is None or parent.kind() != "attribute" or parent.field("object") != current:
            return chain
        attr = parent.field("attribute")
        if attr is None:
            return chain
        qual = names.member(qual, attr.text())
        chain.append((qual, parent))
        current = parent
    return chain


def _tracked_class(qual: str) -> bool:
    return qual in _tracked_classes()


@functools.cache
def _tracked_classes() -> frozenset[str]:
    from .ecosystem import TRACKED_EXTENSION_CLASSES

    return names.FLASK_TRACKED_CLASSES | TRACKED_EXTENSION_CLASSES | names.TRACKED_MEMBER_CLASSES


def _model_base(qual: str) -> bool:
    """`db.Model` (and project models built on it): subclasses are followed, instances are not."""
    return qual in names.TRACKED_MEMBER_CLASSES


def _binding_from_use(chain: list[tuple[str, SgNode]], parents: Parents) -> tuple[str, str] | None:
    """A new (local name, qual) that this use creates: an instance, a subclass or an annotated param."""
    qual, top = chain[-1]
    parent = parents[top]
    if parent is None:
        return None
    kind = parent.kind()
    if kind == "call":
        if parent.field("function") != top:
            return None
        if qual.startswith(FACTORY_PREFIX):
            qual = qual[len(FACTORY_PREFIX):-2]  # the call returns the factory's instance: treat as a class call
        if not _tracked_class(qual):
            return None
        if _model_base(qual):
            return None  # `Book(title=...)` is a row, not an object whose API the rules follow
        target = parent.parent()
        if target is not None and target.kind() == "assignment" and target.field("right") == parent:
            left = target.field("left")
            if left is not None and left.kind() == "identifier":
                return left.text(), f"{qual}()"
        return None
    if kind == "argument_list" and _tracked_class(qual):
        cls = parent.parent()
        if cls is not None and cls.kind() == "class_definition":
            name = cls.field("name")
            if name is not None:
                return name.text(), qual  # a project subclass stands for its Flask base
    if kind in _ANNOTATION_PARTS and _tracked_class(qual):
        param = _annotated_parameter(top, parents)
        if param is not None:
            ident = param.child(0)
            if ident is not None and ident.kind() == "identifier":
                return ident.text(), f"{qual}()"
    return None


# Annotation nodes that still mean "this class" (or None): `app: Flask`, `bp: Blueprint | Flask`,
# `app: Optional[Flask]`; not `list[Flask]` or `Callable[[Flask], None]`.
_ANNOTATION_PARTS = frozenset({"type", "binary_operator", "type_parameter", "generic_type", "subscript"})
_OPTIONAL_RE = re.compile(r"^(?:[\w.]+\.)?(?:Optional|Union)$")


def _annotated_parameter(node: SgNode, parents: Parents) -> SgNode | None:
    """The parameter whose annotation is `node` alone or in a union with other types."""
    current = parents[node]
    while current is not None:
        kind = current.kind()
        if kind in ("typed_parameter", "typed_default_parameter"):
            return current
        if kind not in _ANNOTATION_PARTS:
            return None
        if kind == "binary_operator" and current.field("operator") is not None \
                and current.field("operator").text() != "|":  # type: ignore[union-attr]
            return None
        if kind in ("generic_type", "subscript"):
            head = current.child(0)  # `Union` in `Union[...]`, `t.Optional` in `t.Optional[...]`
            if head is None or head == node or not _OPTIONAL_RE.match(head.text()):
                return None
        current = parents[current]
    return None


def _names_regex(local_names: Iterable[str]) -> str:
    return "^(" + "|".join(sorted(re.escape(n) for n in local_names)) + ")$"


# The first query of every file, one traversal for two needs: imports (name resolution) and functions
# (factories).
FIRST_QUERY = {"rule": {"any": [{"kind": "import_statement"}, {"kind": "import_from_statement"},
                                {"kind": "function_definition"}, {"kind": "lambda"}]}}


# tree-sitter node kinds for syntax newer than some Pythons: (feature, the first Python that parses it).
_NEWER_SYNTAX_NODES = {
    "type_alias_statement": ("PEP 695 type alias", (3, 12)),
    "type_parameter": ("PEP 695 type parameters", (3, 12)),
}


# Python's own check of the whole AST as Python objects took 30 s and 3.5 GB for a 20 MB generated
# module. Above this size the tree-sitter parse (already made) is the syntax check. The largest
# hand-written module in the bench corpus is 0.5 MB.
PYTHON_SYNTAX_CHECK_MAX_CHARS = 4 * 1024 * 1024


def _python_check(text: str, path: str) -> None:
    """Raise what Python raises on importing `text`, short of running it: SyntaxError and co.

    `symtable` runs CPython's parser and its symbol-table pass without turning the tree into Python
    objects: 36 % cheaper than `compile(..., PyCF_ONLY_AST)` on the bench corpus (2.8 s vs 4.3 s for
    6,534 files), with the same errors on all of them but one, where it is right and the AST-only check
    is not (`import *` inside a function: a SyntaxError on import). Its recursive pass can exhaust the
    C stack on a very deep expression that the parser alone accepts; that one case asks the parser alone."""
    try:
        symtable.symtable(text, path, "exec")
    except RecursionError:
        compile(text, path, "exec", ast.PyCF_ONLY_AST, dont_inherit=True)


def _check_syntax(text: str, path: str, root: SgNode) -> SyntaxCheck:
    """Python's own parser on every parsed file: tree-sitter accepts Python 2 and repairs many errors
    (a missing token, a bad indentation) without a trace, so only Python can tell. It is the
    costliest step of an analysis; correctness of the diagnostics wins over speed here."""
    if len(text) > PYTHON_SYNTAX_CHECK_MAX_CHARS:
        error = _tree_error(root)
        if error is None:
            return SyntaxCheck()
        line = error.range().start.line + 1
        return SyntaxCheck("syntax-error", f"syntax error (line {line}; found by tree-sitter, the file is too "
                           "large for Python's own check); findings in this file have low confidence", line)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarning for invalid escapes in old code
            _python_check(text, path)
    except SyntaxError as exc:
        line = exc.lineno or 0
        newer = _newer_syntax_at(root, line, exc.msg or "")
        if newer is not None:
            feature, version = newer
            running = ".".join(map(str, sys.version_info[:2]))
            return SyntaxCheck(
                "newer-syntax",
                f"needs a newer Python to check syntax: {feature} (Python {version[0]}.{version[1]}+; running "
                f"{running}) on line {line}; findings in this file have medium confidence",
                line,
            )
        where = f" (line {line})" if line else ""
        return SyntaxCheck("syntax-error", f"{exc.msg}{where}; findings in this file have low confidence", line)
    except (RecursionError, MemoryError, ValueError) as exc:
        return SyntaxCheck(
            "syntax-error", f"Python's parser gave up ({type(exc).__name__}); findings have low confidence"
        )
    return SyntaxCheck()


def _tree_error(root: SgNode) -> SgNode | None:
    """tree-sitter's first ERROR node, or a MISSING one (a token it invented to recover: empty text)."""
    error = root.find(kind="ERROR")
    if error is not None:
        return error
    missing = root.find(regex="^$")
    return missing if missing is not None and missing.kind() != "module" else None


def _newer_syntax_at(root: SgNode, line: int, message: str) -> tuple[str, tuple[int, int]] | None:
    """The newer-Python feature that explains a SyntaxError on `line`, when tree-sitter (which knows the
    newest grammar) parsed the file without error; None for a plain syntax error (Python 2, typos)."""
    if line <= 0 or _tree_error(root) is not None:
        return None
    row = line - 1
    for kind, (feature, version) in _NEWER_SYNTAX_NODES.items():
        if sys.version_info >= version:
            continue
        for node in root.find_all(kind=kind):
            rng = node.range()
            if rng.start.line <= row <= rng.end.line:
                return feature, version
    if sys.version_info < (3, 12):
        # PEP 701 f-strings: reused quotes, backslashes or comments inside the replacement fields.
        for node in root.find_all(kind="interpolation"):
            rng = node.range()
            if not rng.start.line <= row <= rng.end.line:
                continue
            string = node.parent()
            start = string.child(0) if string is not None else None
            quote = start.text().lstrip("rRbBfFuU") if start is not None else ""
            inside = node.text()
            if message.startswith("f-string") or (quote and quote[0] in inside) or "\\" in inside or "#" in inside:
                return "PEP 701 f-string", (3, 12)
    if sys.version_info < (3, 11):
        for node in root.find_all(kind="except_clause"):
            rng = node.range()
            if rng.start.line == row and any(child.kind() == "*" for child in node.children()):
                return "PEP 654 except*", (3, 11)
    return None


@dataclass
class _Bound:
    """A parsed file with its imports bound: the common first step of pass 1 and pass 2."""

    ctx: FileContext
    import_bindings: list[ImportBinding]
    imported_modules: set[str]
    project_imports: dict[str, tuple[str, str]]  # local name -> (project module, name): re-exports
    hinted_uses: list[SgNode] = field(default_factory=list)  # identifiers named like the import hints


def _bind_imports(text: str, relpath: str, index: ProjectIndex | RecordingIndex | None) -> _Bound:
    """Parse `text` (already through `without_surrogates` and `normalize_newlines`) and bind its imports."""
    module = module_name_for(relpath)
    root = SgRoot(text, "python").root()
    ctx = FileContext(text=text, path=relpath, module=module, root=root,
                      project_uses_flask=bool(index and index.uses_flask))
    bound = _Bound(ctx, [], set(), {})
    is_package = relpath.endswith("__init__.py")
    # The names the imports will most likely bind, read from the text, so that the first query also
    # collects their uses and name resolution usually needs one query less.
    hints = {item.local for item in text_imports(text, module, is_package)
             if names.is_interesting_module(item.module) or (index is not None and index.lookup(item.module, item.name))}
    query = FIRST_QUERY
    if hints:
        query = {"rule": {"any": [*FIRST_QUERY["rule"]["any"], {"kind": "identifier", "regex": _names_regex(hints)}]}}
    imports = []
    for node in root.find_all(query):
        kind = node.kind()
        if kind == "identifier":
            bound.hinted_uses.append(node)
        elif kind in ("import_statement", "import_from_statement"):
            imports.append(node)
        elif kind == "function_definition":
            ctx.functions.append(node)
        elif kind == "lambda":
            ctx.lambdas.append(node)
    for binding, mod, stmt in iter_import_bindings(imports, module, is_package, index):
        bound.imported_modules.add(mod)
        if binding is not None:
            bound.import_bindings.append(binding)
            ctx.bindings.setdefault(binding.local, binding.qual)
        elif stmt.kind() == "import_from_statement" and not names.is_interesting_module(mod):
            for item in stmt.field_children("name"):
                imported = item.field("name") if item.kind() == "aliased_import" else item
                alias = item.field("alias") if item.kind() == "aliased_import" else None
                if imported is not None:
                    bound.project_imports[(alias or imported).text()] = (mod, imported.text())
    return bound


def _resolve_bindings(ctx: FileContext, uses: dict[SgNode, list[tuple[str, SgNode]]],
                      hinted: list[SgNode] | None = None) -> None:
    """Grow `ctx.bindings` to a fixpoint, recording every identifier use found on the way in `uses`, with
    its attribute chain (`_chain`) for the matchers.

    `hinted` holds identifiers the first query already collected for some names; the first round uses
    them instead of a query for those names."""
    hinted_names = {node.text() for node in hinted or ()}
    pending = set(ctx.bindings)
    factories_done = False
    for round_number in range(_MAX_RESOLUTION_ROUNDS):
        found: dict[str, str] = {}
        if not pending and factories_done:
            return
        nodes: list[SgNode] = []
        if round_number == 0 and hinted is not None:
            nodes = [node for node in hinted if node.text() in ctx.bindings]
            pending = pending - hinted_names
        if pending:
            nodes.extend(ctx.root.find_all(kind="identifier", regex=_names_regex(pending)))
        for node in nodes:
            name = node.text()
            if not _is_use_site(node, ctx.parents) or _shadowed(node, name, ctx):
                continue
            chain = uses[node] = _chain(node, ctx.bindings[name], ctx.parents)
            new = _binding_from_use(chain, ctx.parents)
            if new:
                if new[0] not in ctx.bindings and new[0] not in found:
                    found[new[0]] = new[1]
                scope = ctx.scopes.innermost(node)
                if scope >= 0:
                    ctx.track_local(ctx.scopes.start(scope), new[0])
        if not found and not factories_done:
            # Once plain bindings settle, functions that return a Flask object (`create_app`) become
            # factories, and what their calls are assigned to resolves in the next round.
            factories_done = True
            found = {name: qual for name, qual in _factories(ctx).items() if name not in ctx.bindings}
        ctx.bindings.update(found)
        pending = set(found)


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


def _shadowed(node: SgNode, name: str, ctx: FileContext) -> bool:
    """True when `node` (whose text is `name`) names a local of an enclosing function rather than the
    file's Flask binding: `def view(request: StarletteRequest)` in a module that also imports
    `flask.request`, or a local `shelf = query(...)` in a module whose Blueprint is called `shelf`, or the
    variable of a comprehension (`{g.id for g in groups}`)."""
    if _comprehension_variable(node, name, ctx):
        return True
    scope = ctx.scopes.innermost(node)
    if scope < 0:
        return False
    known = ctx._shadowed_in.get((scope, name))
    if known is None:
        known = ctx._shadowed_in[scope, name] = _local_in_scopes(scope, name, ctx)
    return known


def _local_in_scopes(scope: int, name: str, ctx: FileContext) -> bool:
    """True when function or lambda number `scope` (`ScopeSpans`), or one around it, has a local `name`."""
    spans = ctx.scopes
    while scope >= 0:
        key = spans.start(scope)
        if (key, name) not in ctx.tracked_locals:
            local = ctx._scopes.get(key)
            if local is None:
                local = ctx._scopes[key] = _local_names(scope, ctx)
            if name in local:
                return True
        scope = spans.outer(scope)
    return False


# `for` first, then the word boundary as a look-behind: a pattern that starts with a literal is searched for
# that literal (fast), one that starts with `\b` is tried at every position (15 times slower on a file).
_FOR_TARGETS_RE = re.compile(r"for(?<!\wfor)[ \t(]+([\w \t,()]+?)[ \t)]+in\b")
_COMPREHENSIONS = {"rule": {"any": [{"kind": kind} for kind in (
    "list_comprehension", "set_comprehension", "dictionary_comprehension", "generator_expression")]}}


def _comprehension_variable(node: SgNode, name: str, ctx: FileContext) -> bool:
    """True when a comprehension around `node` binds `name` in one of its `for` clauses. By position, like
    `ScopeSpans`: no walk up the parents of a deeply nested use."""
    targets = ctx.memo.get("for-targets")
    if targets is None:  # one text scan per file: most Flask names are never loop or comprehension variables
        targets = ctx.memo["for-targets"] = frozenset(
            ident for match in _FOR_TARGETS_RE.findall(ctx.text) for ident in _IDENTIFIER_RE.findall(match))
    if name not in targets:
        return False
    spans: dict[str, list[tuple[int, int]]] | None = ctx.memo.get("comprehension-spans")
    if spans is None:  # one query per file, and only for files where a Flask name is a loop variable
        spans = ctx.memo["comprehension-spans"] = {}
        for comprehension in ctx.root.find_all(_COMPREHENSIONS):
            where = comprehension.range()
            for clause in comprehension.named_children():
                target = clause.field("left") if clause.kind() == "for_in_clause" else None
                for ident in _IDENTIFIER_RE.findall(target.text()) if target is not None else ():
                    spans.setdefault(ident, []).append((where.start.index, where.end.index))
    position = node.range().start.index
    return any(start <= position < end for start, end in spans.get(name, ()))


_IDENTIFIER_RE = re.compile(r"[A-Za-z_]\w*")
_LOCAL_BINDERS = {"rule": {"any": [{"kind": "assignment"}, {"kind": "for_statement"}]}}


def _local_names(number: int, ctx: FileContext) -> frozenset[str]:
    """Names function or lambda `number` (`ScopeSpans`) binds that hide a module-level Flask name of the
    same spelling. One query per function; identifiers inside targets and values are read from their text."""
    scope = ctx.scopes.scope(number)
    local: set[str] = set()
    params = scope.field("parameters")
    for param in params.named_children() if params is not None else ():
        kind = param.kind()
        ident = param if kind == "identifier" else param.child(0)
        if ident is None or ident.kind() != "identifier":
            continue
        qual = ctx.bindings.get(ident.text())
        annotation = param.field("type")
        if annotation is not None:
            # `app: Flask` stays the app; `request: Request` (Starlette's) is another object.
            if not any(ctx.bindings.get(name, "").startswith(("flask", "werkzeug"))
                       for name in _IDENTIFIER_RE.findall(annotation.text())):
                local.add(ident.text())
        elif qual is not None and not qual.endswith("()"):
            # A parameter named like a module-level proxy (`request`, `g`) is the caller's object;
            # an unannotated `app` parameter is, in a Flask module, the app itself.
            local.add(ident.text())
    body = scope.field("body")
    if body is None:
        return frozenset(local)
    nested = ctx.scopes.has_inner(number)  # else every binder in the body is the function's own
    for binder in body.find_all(_LOCAL_BINDERS):
        if nested and ctx.scopes.innermost(binder) != number:
            continue
        left = binder.field("left")
        if left is None or left.kind() not in ("identifier", "pattern_list", "tuple_pattern", "list_pattern"):
            continue
        if binder.kind() == "assignment":
            right = binder.field("right")
            if right is not None and not ctx.bindings.keys().isdisjoint(_IDENTIFIER_RE.findall(right.text())):
                continue  # `app = current_app._get_current_object()` keeps a Flask value
        local.update(_IDENTIFIER_RE.findall(left.text()))
    return frozenset(local)


FACTORY_PREFIX = "->"  # `create_app` -> "->flask.Flask()": calling it returns a Flask app
# The ASCII name after each `return`, across what tree-sitter lets stand between (any whitespace, line
# continuations, comments): a superset of the identifiers that return statements return, when ASCII. A
# look-ahead, so that a bare `return` does not consume the next line's `return name`. (A comment is matched
# with its newline: `#[^\n]*` alone could end anywhere and backtrack exponentially.)
_RETURNED_NAME_RE = re.compile(r"return(?=(?:[\s\ufeff\u2060\u200b\\]|#[^\n]*\n)+([A-Za-z_][A-Za-z0-9_]*))")


def _factories(ctx: FileContext) -> dict[str, str]:
    """Module-level functions whose return value is a name bound to a tracked instance."""
    instances = {name for name, qual in ctx.bindings.items() if qual.endswith("()")}
    if not instances:
        return {}
    found = {}
    # Most files never `return` an instance by name: then no function's statements need a walk.
    returned = set(_RETURNED_NAME_RE.findall(ctx.text))
    walk = any(name in returned or not name.isascii() for name in instances)
    for function in ctx.functions if walk else ():
        name = function.field("name")
        if name is None:
            continue
        for statement in returns_of(function):
            value = next(iter(statement.named_children()), None)
            if value is not None and value.kind() == "identifier" and value.text() in instances:
                found[name.text()] = FACTORY_PREFIX + ctx.bindings[value.text()]
                break
    found.update(_route_helpers(ctx, instances))
    return found


_ADD_URL_RULE_RE = re.compile(r"\.add_url_rule\s*\(")


def _route_helpers(ctx: FileContext, instances: set[str]) -> dict[str, str]:
    """Module-level functions that register the routes their callers pass in: flaskbb's
    `def register_view(bp_or_app: Blueprint | Flask, routes, view_func)` calls
    `bp_or_app.add_url_rule(route, view_func=view_func)`. Each call of such a helper, here or in a module
    that imports it, is a route registration: the helper's name is bound to `<scaffold>.add_url_rule`.
    A function that registers fixed routes of its own (`def init_app(app)`) is no helper: its
    `add_url_rule` calls are the registrations."""
    if not _ADD_URL_RULE_RE.search(ctx.text):
        return {}
    found: dict[str, str] = {}
    for function in ctx.functions:
        name = function.field("name")
        holder = ctx.parents[function]
        if holder is not None and holder.kind() == "decorated_definition":
            holder = ctx.parents[holder]
        if name is None or holder is None or holder.kind() != "module":
            continue  # methods and nested functions cannot be imported by name
        if not _ADD_URL_RULE_RE.search(function.text()):
            continue
        params = _parameter_names(function)
        for attribute in function.find_all(kind="attribute", regex=r"^\w+\.add_url_rule$"):
            target = attribute.field("object")
            call = ctx.parents[attribute]
            if (target is None or target.text() not in params or target.text() not in instances or call is None
                    or call.kind() != "call" or call.field("function") != attribute
                    or ctx.scopes.enclosing(attribute) != function):
                continue
            qual = f"{ctx.bindings[target.text()]}.add_url_rule"
            if not registry.USE_MATCHERS.get(qual):
                continue
            given = params - {target.text()}
            for loop in function.find_all(kind="for_statement"):  # `for route in routes:`
                right, left = loop.field("right"), loop.field("left")
                if right is not None and left is not None and given & set(_IDENTIFIER_RE.findall(right.text())):
                    given |= set(_IDENTIFIER_RE.findall(left.text()))
            arguments = call.field("arguments")
            if arguments is not None and given & set(_IDENTIFIER_RE.findall(arguments.text())):
                found[name.text()] = qual
                break
    return found


def _parameter_names(function: SgNode) -> set[str]:
    params = function.field("parameters")
    found = set()
    for param in params.named_children() if params is not None else ():
        ident = param if param.kind() == "identifier" else param.field("name") or next(
            (child for child in param.named_children() if child.kind() == "identifier"), None)
        if ident is not None and ident.kind() == "identifier":
            found.add(ident.text())
    return found


def analyze_python(text: str, relpath: str, index: ProjectIndex | None = None, *,
                   known_valid: bool = False, exports_only: bool = False) -> FileResult:
    """Analyse one Python file's text. `relpath` is the path reports show (relative, `/`-separated).

    `known_valid=True` says the caller has already compiled this exact text (flake8 runs tree plugins
    only on files that parse), which skips the syntax check: a third of the flake8 plugin's time.
    `exports_only=True` stops once names are resolved: no syntax check, no rule, no finding, only what
    other files depend on (exports, re-exports, index answers, imports, template facts), as a full
    analysis would give it (`complete` is False). A sharded scan uses it for the files another shard reports.
    """
    return analyze_python_checked(text, relpath, index, SyntaxCheck() if known_valid or exports_only else None,
                                  exports_only=exports_only)[0]


def analyze_python_checked(text: str, relpath: str, index: ProjectIndex | None = None,
                           syntax: SyntaxCheck | None = None, *,
                           exports_only: bool = False) -> tuple[FileResult, SyntaxCheck]:
    """`analyze_python`, and the file's syntax check. `syntax` is that check when the caller already has
    it for this exact text (a file analysed again because the project index changed): it does not depend
    on the index, and it is the costliest step of an analysis. None: run it."""
    registry.load()
    result = FileResult(path=relpath, kind="python")
    text = normalize_newlines(without_surrogates(text))  # UTF-8 for tree-sitter; lines as editors count them
    recorder = RecordingIndex(index)
    bound = _bind_imports(text, relpath, recorder)
    ctx = bound.ctx
    if syntax is None:
        syntax = SyntaxCheck() if exports_only else _check_syntax(text, relpath, ctx.root)
    ctx.syntax = syntax
    if ctx.syntax.kind:
        result.diagnostics.append(Diagnostic(relpath, ctx.syntax.kind, ctx.syntax.message, ctx.syntax.line))
    result.imports = sorted(bound.imported_modules)
    # What the template pass needs from Python code (filekinds/templates.py): where templates live, and
    # which `url_for` keyword arguments are path parameters.
    if "template_folder" in text:
        result.template_folders = declared_template_folders(ctx.root, relpath)
    if "<" in text:
        result.path_parameters = route_parameter_names(text)
    if "template" in text:
        result.template_context = template_context_names(text)
    if exports_only:
        # Matchers never change bindings (only name resolution does), so the exports are the same.
        _resolve_bindings(ctx, {}, bound.hinted_uses)
        result.exports = dict(ctx.bindings)
        result.project_imports = bound.project_imports
        result.index_answers = recorder.answers
        result.complete = False
        return result, ctx.syntax
    # Import matchers run once every import is bound: whether a file uses Flask can depend on a later one.
    import_hits = [hit for binding in bound.import_bindings for hit in _run_import_matchers(binding, ctx, result)]

    uses: dict[SgNode, list[tuple[str, SgNode]]] = {}
    _resolve_bindings(ctx, uses, bound.hinted_uses)

    hits: list[tuple[Rule, Hit]] = list(import_hits)
    for chain in uses.values():
        _run_use_matchers(chain, ctx, result, hits)
    for rule_, func in registry.FILE_MATCHERS:
        hits.extend(_guarded(rule_, func, ctx, ctx, result))

    result.findings = _to_findings(hits, ctx)
    result.blueprints = sorted(set(ctx.blueprints))
    result.exports = dict(ctx.bindings)
    result.project_imports = bound.project_imports
    result.index_answers = recorder.answers
    result.assumed_project_flask = ctx.project_uses_flask if ctx.consulted_project_flask else None
    return result, ctx.syntax


def _run_import_matchers(binding: ImportBinding, ctx: FileContext, result: FileResult) -> Iterator[
    tuple[Rule, Hit]
]:
    for rule_, func in registry.IMPORT_MATCHERS.get(names.root_module(binding.qual), ()):
        use = Use(binding.qual, binding.node, ctx)
        yield from _guarded(rule_, func, use, ctx, result)


def _run_use_matchers(chain: list[tuple[str, SgNode]], ctx: FileContext, result: FileResult,
                      hits: list[tuple[Rule, Hit]]) -> None:
    """Add to `hits` what the matchers of each level of one use's attribute chain report."""
    covered = False
    for qual, level_node in chain:
        matchers = registry.USE_MATCHERS.get(qual)
        if not matchers:
            continue
        covered = True
        use = Use(qual, level_node, ctx)
        for rule_, func in matchers:
            hits.extend(_guarded(rule_, func, use, ctx, result))
    if not covered:
        generic = _generic_api(chain)
        if generic is not None:
            rule_ = registry.get_rule(GENERIC_RULE_CODE)
            if rule_ is not None:
                hits.append((rule_, Hit(generic[1], {"api": names.display(generic[0])})))


# Flask objects whose attributes are the API (`request.foo`), as opposed to functions and classes.
_API_OBJECTS = frozenset({"flask.request", "flask.g", "flask.session", "flask.current_app"})


def _generic_api(chain: list[tuple[str, SgNode]]) -> tuple[str, SgNode] | None:
    """The Flask/Werkzeug API that a use without any rule touches, or None when it is no API use."""
    base = chain[0][0]
    if names.root_module(base) not in ("flask", "werkzeug"):
        return None
    known = names.KNOWN_MEMBERS.get(names.PROXY_TYPES.get(base, base))
    if known is not None:
        # Only Flask's own members are its API: `app.security = ...` or a subclass's `get_by_week()` are
        # the project's.
        if len(chain) < 2 or chain[1][0].rpartition(".")[2] not in known:
            return None
        return chain[1]
    if base.endswith("()") or base in _API_OBJECTS:
        # A bare `app` or `request` passed around is not an API use; its first attribute is.
        return chain[1] if len(chain) > 1 else None
    if "." not in base:
        # `import flask` then `flask.json.dumps`: skip the submodule levels to the API itself.
        for i in range(1, len(chain)):
            last = chain[i][0].rpartition(".")[2]
            if last.startswith("__") and last.endswith("__"):
                return None  # `flask.__name__`, `flask.__version__`: module metadata, no API
            if not last[:1].islower() or i == len(chain) - 1:
                return chain[i]
        return None
    return chain[0]


def _guarded(rule_: Rule, func: Any, use: Any, ctx: FileContext, result: FileResult) -> list[tuple[Rule, Hit]]:
    """Run one matcher; an exception becomes a diagnostic for this file and rule, not a crash."""
    try:
        return [(rule_, hit) for hit in func(use)]
    except BaseException as exc:  # noqa: BLE001 - a rule bug must never stop the scan
        if not (isinstance(exc, Exception) or type(exc).__name__ == "PanicException"):
            raise  # Ctrl-C, SIGTERM: not the rule's fault
        result.diagnostics.append(
            Diagnostic(ctx.path, "rule-error", f"{rule_.code} raised {type(exc).__name__}: {exc}")
        )
        return []


def _to_findings(hits: list[tuple[Rule, Hit]], ctx: FileContext) -> list[Finding]:
    confidence = ctx.syntax.confidence
    seen: set[tuple[str, int, int]] = set()
    findings = []
    # Per line, not per finding: thousands of findings on one 1 MB generated line stay linear.
    source_lines: dict[int, str] = {}
    stripped: dict[int, str] = {}
    suppressed: dict[tuple[int, str], bool] = {}
    for rule_, hit in hits:
        line_start = -1
        if hit.position is None:
            where = hit.node.range()
            start, end = where.start, where.end
            line, col, end_line, end_col = start.line + 1, start.column + 1, end.line + 1, end.column + 1
            line_start = start.index - start.column  # index and column count characters, as `str` does
        else:
            line, col, end_line, end_col = hit.position
        key = (rule_.code, line, col)
        if key in seen:
            continue  # two matchers of one rule at one place (e.g. alias and canonical spelling)
        seen.add(key)
        source_line = source_lines.get(line)
        if source_line is None:
            if line_start >= 0:  # the node's line, without splitting the whole text into lines
                line_end = ctx.text.find("\n", line_start)
                source_line = ctx.text[line_start:line_end if line_end >= 0 else len(ctx.text)]
            else:
                lines = ctx.lines
                source_line = lines[line - 1] if 0 < line <= len(lines) else ""
            source_lines[line] = source_line
            stripped[line] = source_line.strip()
        if (line, rule_.code) not in suppressed:
            suppressed[line, rule_.code] = is_suppressed(rule_.code, source_line)
        findings.append(
            Finding(
                path=ctx.path,
                line=line,
                column=col,
                code=rule_.code,
                end_line=end_line,
                end_column=end_col,
                # Messages quote source text: no control character may reach a terminal or a log.
                message=printable_text(rule_.format_message(hit.args)),
                counterpart=printable_text(rule_.format_counterpart(hit.args)),
                confidence=confidence,
                suppressed=suppressed[line, rule_.code],
                source_line=stripped[line],
            )
        )
    findings.sort(key=Finding.sort_key)
    return findings
