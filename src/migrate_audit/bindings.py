"""Name resolution: which identifiers of one file are Flask objects, and what each stands for.

Imports are bound first (`from flask import request` binds `request` to `flask.request`; the project
index answers for the project's own modules). Then, to a fixpoint, every use of a bound name is found
(one query per round), its attribute chain is read (`request.args.get` -> `flask.request.args.get`), and
what the use creates becomes a binding too: an instance (`app = Flask()`), a subclass, an annotated
parameter (`app: Flask`), and, once those settle, a factory (`def create_app(): ... return app`) or a
route helper (a function that calls `add_url_rule` on the app its caller passes in).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Iterable

from ast_grep_py import SgNode, SgRoot

from . import names, registry
from .api import Chain, FileContext, returns_of
from .prefilter import text_imports
from .index.resolve import ImportBinding, ProjectIndex, RecordingIndex, iter_import_bindings, module_name_for
from .scopes import IDENTIFIER_RE, Parents

# Where a binding is made rather than used: the identifier in these positions is not a use.
_BINDING_PARENTS = frozenset(
    {"dotted_name", "aliased_import", "parameters", "typed_parameter", "default_parameter",
     "typed_default_parameter", "list_splat_pattern", "dictionary_splat_pattern", "global_statement",
     "nonlocal_statement", "import_prefix", "relative_import"}
)
# In `ctx.memo`: use node -> how its object was reached, where the source does not show it (`self` in a
# Flask subclass, an app passed in); the engine hands it to that use's findings (`Hit.via`).
VIA = "bindings.via"
_MAX_RESOLUTION_ROUNDS = 8
_MAX_CHAIN = 16  # attribute levels followed from a Flask name: `request.args.get` is 3

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


def chain_of(node: SgNode, base: str, parents: Parents) -> Chain:
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


def _binding_from_use(chain: Chain, parents: Parents) -> tuple[str, str] | None:
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
        target = parents[parent]
        if target is not None and target.kind() == "assignment" and target.field("right") == parent:
            left = target.field("left")
            if left is not None and left.kind() == "identifier":
                return left.text(), f"{qual}()"
        return None
    if kind == "assignment" and parent.field("right") == top and _tracked_class(qual):
        return _class_alias(parent, qual, parents)
    if kind == "argument_list" and _tracked_class(qual):
        cls = parents[parent]
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


def _class_alias(assignment: SgNode, qual: str, parents: Parents) -> tuple[str, str] | None:
    """`Model = db.Model`, `App = flask.Flask`: another name for a tracked class, followed (and exported) only
    when made unconditionally, as a statement of the module itself (not in an `if`, `try` or function)."""
    left, statement = assignment.field("left"), parents[assignment]
    module = parents[statement] if statement is not None else None
    if left is None or left.kind() != "identifier" or module is None or module.kind() != "module":
        return None
    return left.text(), qual


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

# Class statements and module-level assignments of a call (`blueprint = ServerModule(...)`): where the
# names the imports bind make new ones (resolve_bindings), read from the text before the first query.
_CLASS_RE = re.compile(r"class[ \t]+(\w+)[ \t]*\(([^)]*)\)")
# After a newline (a literal the regex engine searches for fast), or at the start of the text.
_CALL_ASSIGNMENT_RE = re.compile(r"\n(\w+)[ \t]*=[ \t]*([\w.]+)[ \t]*\(")
_FIRST_CALL_ASSIGNMENT_RE = re.compile(r"(\w+)[ \t]*=[ \t]*([\w.]+)[ \t]*\(")


def _predicted_names(text: str, hints: set[str]) -> frozenset[str]:
    """`hints` and the names the text shows will likely be bound from them, to a fixpoint: classes with a
    base among them, and module-level names assigned a call of one of them. The first query collects
    their identifiers too, so that the rounds of name resolution that bind them need no query (pgadmin4:
    `class ServerModule(CollectionNodeModule)`, then `blueprint = ServerModule(...)`). A name guessed
    wrong costs its identifiers' nodes; one missed, a query, as without a guess."""
    classes = _CLASS_RE.findall(text) if "class" in text else []
    assigned = _CALL_ASSIGNMENT_RE.findall(text) if "(" in text else []
    first = _FIRST_CALL_ASSIGNMENT_RE.match(text)
    if first is not None:
        assigned.insert(0, first.groups())
    known = set(hints)
    grown = True
    while grown:
        grown = False
        for name, bases in classes:
            if name not in known and not known.isdisjoint(IDENTIFIER_RE.findall(bases)):
                known.add(name)
                grown = True
        for name, called in assigned:
            if name not in known and called.partition(".")[0] in known:
                known.add(name)
                grown = True
    return frozenset(known)


def _names_regex(local_names: Iterable[str]) -> str:
    return "^(" + "|".join(sorted(re.escape(n) for n in local_names)) + ")$"


# The first query of every file, one traversal for three needs: imports (name resolution), functions
# (factories, scopes) and the statements that bind local names (`Shadowing`: a query per function
# body was 5% of the -j1 CPU of indico and pgadmin4).
FIRST_QUERY = {"rule": {"any": [{"kind": "import_statement"}, {"kind": "import_from_statement"},
                                {"kind": "function_definition"}, {"kind": "lambda"},
                                {"kind": "assignment"}, {"kind": "for_statement"}]}}


@dataclass
class Bound:
    """A parsed file with its imports bound: the common first step of pass 1 and pass 2."""

    ctx: FileContext
    import_bindings: list[ImportBinding]
    imported_modules: set[str]
    project_imports: dict[str, tuple[str, str]]  # local name -> (project module, name): re-exports
    hinted_uses: list[SgNode] = field(default_factory=list)  # identifiers named like the hints
    hint_names: set[str] = field(default_factory=set)  # what the imports will likely bind
    # Every name `hinted_uses` holds all the identifiers of: the hints, and the names the text shows
    # they will likely bind (`_predicted_names`).
    searched: frozenset[str] = frozenset()


def bind_imports(text: str, relpath: str, index: ProjectIndex | RecordingIndex | None) -> Bound:
    """Parse `text` (already through `without_surrogates` and `normalize_newlines`) and bind its imports."""
    module = module_name_for(relpath)
    root = SgRoot(text, "python").root()
    ctx = FileContext(text=text, path=relpath, module=module, root=root,
                      project_uses_flask=bool(index and index.uses_flask))
    bound = Bound(ctx, [], set(), {})
    is_package = relpath.endswith("__init__.py")
    # The names the imports will most likely bind, read from the text, so that the first query also
    # collects their uses and name resolution usually needs one query less.
    hints = {item.local for item in text_imports(text, module, is_package)
             if names.is_interesting_module(item.module) or (index is not None and index.lookup(item.module, item.name))}
    query = FIRST_QUERY
    if hints:
        searched = _predicted_names(text, hints)
        bound.hint_names, bound.searched = hints, searched
        query = {"rule": {"any": [*FIRST_QUERY["rule"]["any"], {"kind": "identifier", "regex": _names_regex(searched)}]}}
    imports = []
    binders: list[SgNode] = []
    for node in root.find_all(query):
        kind = node.kind()
        if kind == "identifier":
            bound.hinted_uses.append(node)
        elif kind == "assignment" or kind == "for_statement":
            binders.append(node)
        elif kind in ("import_statement", "import_from_statement"):
            imports.append(node)
        elif kind == "function_definition":
            ctx.functions.append(node)
        elif kind == "lambda":
            ctx.lambdas.append(node)
    ctx.binders = binders
    # Pre-order, so in document order (import statements never nest): the inventory and extension rules
    # read them again, and two more queries of the whole tree for them were 3 % of an analysis' CPU.
    ctx.imports = imports
    for binding, mod, stmt in iter_import_bindings(imports, module, is_package, index):
        bound.imported_modules.add(mod)
        if binding is not None:
            bound.import_bindings.append(binding)
            ctx.bindings.setdefault(binding.local, names.reexported(binding.qual))
        elif stmt.kind() == "import_from_statement" and not names.is_interesting_module(mod):
            for item in stmt.field_children("name"):
                imported = item.field("name") if item.kind() == "aliased_import" else item
                alias = item.field("alias") if item.kind() == "aliased_import" else None
                if imported is not None:
                    bound.project_imports[(alias or imported).text()] = (mod, imported.text())
    return bound


def resolve_bindings(ctx: FileContext, uses: dict[SgNode, Chain],
                     hinted: list[SgNode] | None = None, fresh: Iterable[str] | None = None, *,
                     hint_names: set[str] | None = None, searched: frozenset[str] = frozenset()) -> None:
    """Grow `ctx.bindings` to a fixpoint, recording every identifier use found on the way in `uses`, with
    its attribute chain (`chain_of`) for the matchers.

    `hinted` holds identifiers the first query already collected: all those named in `searched`. The first
    round uses those named in `hint_names` (all of `hinted` when not given) instead of a query for those
    names; a later round whose names are all in `searched` takes their identifiers from `hinted` too,
    in the order a query would give them. `fresh`: only these names are new since the last call."""
    hinted_texts = [node.text() for node in hinted or ()]
    first = set(hinted_texts) if hint_names is None else hint_names
    hinted_names = {text for text in hinted_texts if text in first}
    pending = set(ctx.bindings if fresh is None else fresh)
    factories_done = False
    for round_number in range(_MAX_RESOLUTION_ROUNDS):
        found: dict[str, str] = {}
        if not pending and factories_done:
            return
        nodes: list[SgNode] = []
        if round_number == 0 and hinted is not None:
            nodes = [node for node, text in zip(hinted, hinted_texts) if text in ctx.bindings and text in first]
            pending = pending - hinted_names
        if pending:
            if hinted is not None and pending <= searched:
                nodes.extend(node for node, text in zip(hinted, hinted_texts) if text in pending)
            else:
                nodes.extend(ctx.root.find_all(kind="identifier", regex=_names_regex(pending)))
        for node in nodes:
            name = node.text()
            if not _is_use_site(node, ctx.parents) or ctx.shadowing.shadowed(node, name):
                continue
            chain = uses[node] = chain_of(node, ctx.bindings[name], ctx.parents)
            new = _binding_from_use(chain, ctx.parents)
            if new:
                if new[0] not in ctx.bindings and new[0] not in found:
                    found[new[0]] = new[1]
                scope = ctx.scopes.innermost(node)
                if scope >= 0:
                    ctx.shadowing.track(scope, new[0])
        if not found and not factories_done:
            # Once plain bindings settle, functions that return a Flask object (`create_app`) become
            # factories, and what their calls are assigned to resolves in the next round.
            factories_done = True
            found = {name: qual for name, qual in _factories(ctx).items() if name not in ctx.bindings}
        ctx.bindings.update(found)
        pending = set(found)

FACTORY_PREFIX = "->"  # `create_app` -> "->flask.Flask()": calling it returns a Flask app
# The ASCII name after each `return`, across what tree-sitter lets stand between (any whitespace, line
# continuations, comments): a superset of the identifiers that return statements return, when ASCII. A
# look-ahead, so that a bare `return` does not consume the next line's `return name`. (A comment is matched
# with its newline: `#[^\n]*` alone could end anywhere and backtrack exponentially.)
_RETURNED_NAME_RE = re.compile(r"return(?=(?:[\s\ufeff\u2060\u200b\\]|#[^\n]*\n)+([A-Za-z_][A-Za-z0-9_]*))")


def _factories(ctx: FileContext) -> dict[str, str]:
    """Module-level functions whose return value is a name bound to a tracked instance, or that are
    annotated to return a tracked class (`def create_app() -> Flask:`)."""
    found = _annotated_factories(ctx) if "->" in ctx.text else {}
    instances = {name for name, qual in ctx.bindings.items() if qual.endswith("()")}
    if not instances:
        return found
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


def _annotated_factories(ctx: FileContext) -> dict[str, str]:
    """Top-level functions whose return annotation is one tracked class, by its bound name alone
    (`-> Flask`, `-> flask.Flask`; not `-> Optional[Flask]` or `-> list[Flask]`)."""
    found = {}
    for function in ctx.functions:
        name, returns = function.field("name"), function.field("return_type")
        holder = ctx.parents[function]
        if holder is not None and holder.kind() == "decorated_definition":
            holder = ctx.parents[holder]
        if name is None or returns is None or holder is None or holder.kind() != "module":
            continue
        parts = "".join(returns.text().split()).split(".")
        qual = ctx.bindings.get(parts[0]) if all(part.isidentifier() for part in parts) else None
        if qual is None:
            continue
        for part in parts[1:]:
            qual = names.member(qual, part)
        if _tracked_class(qual) and not _model_base(qual):
            found[name.text()] = f"{FACTORY_PREFIX}{qual}()"
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
        given_by_target: dict[str, set[str]] = {}  # per target parameter: the names its caller passes in
        for attribute in function.find_all(kind="attribute", regex=r"^\w+\.add_url_rule$"):
            target = attribute.field("object")
            call = ctx.parents[attribute]
            if (target is None or target.text() not in params or target.text() not in instances or call is None
                    or call.kind() != "call" or call.field("function") != attribute
                    or ctx.scopes.enclosing(attribute) != function):
                continue
            qual = f"{ctx.bindings[target.text()]}.add_url_rule"
            if not registry.has_matchers(qual):
                continue
            given = given_by_target.get(target.text())
            if given is None:
                given = given_by_target[target.text()] = _passed_in(function, params - {target.text()})
            arguments = call.field("arguments")
            if arguments is not None and given & set(IDENTIFIER_RE.findall(arguments.text())):
                found[name.text()] = qual
                break
    return found


def _passed_in(function: SgNode, given: set[str]) -> set[str]:
    """`given` (parameters), and the variables of the `for` loops over them: `for route in routes:`."""
    given = set(given)
    for loop in function.find_all(kind="for_statement"):
        right, left = loop.field("right"), loop.field("left")
        if right is not None and left is not None and given & set(IDENTIFIER_RE.findall(right.text())):
            given |= set(IDENTIFIER_RE.findall(left.text()))
    return given


def _parameter_names(function: SgNode) -> set[str]:
    params = function.field("parameters")
    found = set()
    for param in params.named_children() if params is not None else ():
        ident = param if param.kind() == "identifier" else param.field("name") or next(
            (child for child in param.named_children() if child.kind() == "identifier"), None)
        if ident is not None and ident.kind() == "identifier":
            found.add(ident.text())
    return found
