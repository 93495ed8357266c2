"""Flask apps, Blueprints and extension objects (`PASSED`) passed to the project's own functions (and
classes: their `__init__`): `init_app(app)` from the factory makes `app` inside `def init_app(app):` the
app, also in a module that never imports flask.

Each analysis states, for its calls of project functions (imported by name, `module.function`, or defined
at this module's top level) that pass a tracked app or Blueprint, what each argument slot carries: the
object's qual, or `?` when some call of the same function passes anything else there. These facts travel
in the file's exports under keys no import can spell (`<callee module>:<function>#<slot>`), so the index,
its incremental builds, the worker updates and the caches carry them unchanged; `ProjectIndex.lookup(m,
"@")` answers every fact about module `m` (by the name callers import it under) as one string, recorded
like any answer, so an analysis made before a caller's facts existed is made again.

The callee binds a parameter only where every fact about its slot agrees on one qual (a function called
with a Flask app here and a Starlette app there gets none), and only inside that function (`Shadowing`).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterable

from ast_grep_py import SgNode

from . import names
from .index.resolve import MarkedEntries

if TYPE_CHECKING:
    from .api import Chain, FileContext
    from .index.resolve import ProjectIndex, RecordingIndex

FACT_MARK = ":"  # in an exports key: a fact about a call, not a name
UNKNOWN = "?"
# The objects followed into the functions they are passed to: the app, Blueprints, and the extension
# objects a project makes once and hands to its setup functions (`init_models(db)`, `register(api)`),
# whose API the rules follow. Not per-request objects (forms, resources, views): a function handed one
# is as often handed something else.
PASSED = frozenset({
    "flask.Flask()", "flask.Blueprint()", "flask_sqlalchemy.SQLAlchemy()", "flask_login.LoginManager()",
    "flask_marshmallow.Marshmallow()", "flask_mail.Mail()", "flask_caching.Cache()", "flask_limiter.Limiter()",
    "flask_socketio.SocketIO()", "flask_restful.Api()", "flask_restx.Api()", "flask_restx.Namespace()",
    "flask_smorest.Api()", "flask_smorest.Blueprint()", "flask_jwt_extended.JWTManager()",
    "flask_httpauth.HTTPBasicAuth()", "flask_httpauth.HTTPTokenAuth()", "flask_httpauth.MultiAuth()",
    "flask_babel.Babel()", "flask_migrate.Migrate()", "flask_cors.CORS()", "celery.Celery()"})


def fact_key(module: str, function: str, slot: str) -> str:
    return f"{module}{FACT_MARK}{function}#{slot}"


def encode(facts: dict[str, dict[str, str]]) -> str:
    """{function: {slot: qual}} as one comparable string: `f#0=flask.Flask();f#app=?`."""
    return ";".join(f"{function}#{slot}={qual}" for function in sorted(facts)
                    for slot, qual in sorted(facts[function].items()))


def decode(text: str | None) -> dict[str, dict[str, str]]:
    facts: dict[str, dict[str, str]] = {}
    for item in text.split(";") if text else ():
        key, _, qual = item.rpartition("=")
        function, _, slot = key.partition("#")
        merge(facts.setdefault(function, {}), slot, qual)
    return facts


def merge(slots: dict[str, str], slot: str, qual: str) -> None:
    before = slots.get(slot)
    slots[slot] = qual if before is None or before == qual else UNKNOWN


def received_table(exports: dict[str, dict[str, str]]) -> dict[str, dict[str, dict[str, str]]]:
    """Every module's call facts, by the callee module's name as its callers spelled it."""
    table: dict[str, dict[str, dict[str, str]]] = {}
    for key, qual in _FACTS.of(exports):
        module, _, rest = key.rpartition(FACT_MARK)
        function, _, slot = rest.partition("#")
        merge(table.setdefault(module, {}).setdefault(function, {}), slot, qual)
    return table


def _is_fact(key: str) -> bool:
    return FACT_MARK in key


_FACTS = MarkedEntries(_is_fact)


def _module_functions(ctx: FileContext) -> dict[str, SgNode]:
    """The module's top-level functions by name, and for each top-level class its `__init__` under the
    class's name: `Scheduler(db)` passes `db` to `__init__`'s first parameter after `self`."""
    found = {}
    for function in ctx.functions:
        holder = _holder(function, ctx)
        name = function.field("name")
        if name is None or holder is None:
            continue
        if holder.kind() == "module":
            found.setdefault(name.text(), function)
        elif name.text() == "__init__" and holder.kind() == "block":
            cls = ctx.parents[holder]
            cls_name = cls.field("name") if cls is not None and cls.kind() == "class_definition" else None
            outer = _holder(cls, ctx) if cls_name is not None else None  # type: ignore[arg-type]
            if outer is not None and outer.kind() == "module":
                found.setdefault(cls_name.text(), function)  # type: ignore[union-attr]
    return found


def _holder(node: SgNode, ctx: FileContext) -> SgNode | None:
    holder = ctx.parents[node]
    if holder is not None and holder.kind() == "decorated_definition":
        holder = ctx.parents[holder]
    return holder


def _callee(function: SgNode, ctx: FileContext, own: dict[str, SgNode],
            imported: dict[str, tuple[str, str]]) -> tuple[str, str] | None:
    """(module as spelled, function name) of a called project function, or None."""
    if function.kind() == "identifier":
        name = function.text()
        if name in own:
            return ctx.module, name
        if name in imported and name not in ctx.bindings:
            return imported[name]
        return None
    if function.kind() == "attribute":
        target, attr = function.field("object"), function.field("attribute")
        if target is not None and attr is not None and target.kind() == "identifier" \
                and target.text() in imported and target.text() not in ctx.bindings:
            module, name = imported[target.text()]
            return f"{module}.{name}", attr.text()
    return None


def _slots(call: SgNode) -> list[tuple[str, SgNode]]:
    """(slot, argument) of a call: `#0`, `#1`... by position, the name for a keyword. Nothing after a
    `*args` by position (its slots are unknown)."""
    arguments = call.field("arguments")
    found: list[tuple[str, SgNode]] = []
    position = 0
    for arg in arguments.named_children() if arguments is not None and arguments.kind() == "argument_list" else ():
        kind = arg.kind()
        if kind == "keyword_argument":
            name, value = arg.field("name"), arg.field("value")
            if name is not None and value is not None:
                found.append((name.text(), value))
        elif kind in ("list_splat", "dictionary_splat"):
            if kind == "list_splat":
                position = -1
        elif kind != "comment" and position >= 0:
            found.append((str(position), arg))
            position += 1
    return found


def call_facts(ctx: FileContext, uses: dict[SgNode, Chain], imported: dict[str, tuple[str, str]],
               index: ProjectIndex | RecordingIndex | None, held: bool = False) -> dict[tuple[str, str], dict[str, str]]:
    """{(callee module, function): {slot: qual or `?`}} for this file's calls of project functions that
    pass a tracked app or Blueprint, and of those that some other file passes one to. `held`: some
    attribute holds an app (attributes.py), which no binding shows."""
    own: dict[str, SgNode] | None = None
    callees: set[str] = set()  # the names (as called) worth reading every call of
    if held or not PASSED.isdisjoint(ctx.bindings.values()):
        own = _module_functions(ctx)
        for node, chain in uses.items():
            if len(chain) == 1 and chain[0][0] in PASSED:
                call = _call_passing(node, ctx)
                function = call.field("function") if call is not None else None
                if function is not None and _callee(function, ctx, own, imported) is not None:
                    callees.add(function.text())
    if index is not None:
        # Whether each imported function receives an app somewhere: then this file's calls of it count too.
        # Asked for the function alone, so that more facts about it do not make this analysis stale.
        for local in imported.keys() - callees:
            module, name = imported[local]
            if local not in ctx.bindings and index.lookup(module, "@" + name):
                callees.add(local)
    facts: dict[tuple[str, str], dict[str, str]] = {}
    if not callees:
        return facts
    if own is None:
        own = _module_functions(ctx)
    for call in ctx.root.find_all(_calls_of(callees)):
        function = call.field("function")
        if function is None or function.text() not in callees:
            continue
        callee = _callee(function, ctx, own, imported)
        if callee is None:
            continue
        slots = facts.setdefault(callee, {})
        for slot, arg in _slots(call):
            chain = uses.get(arg)
            merge(slots, slot, chain[0][0] if chain and len(chain) == 1 and chain[0][0] in PASSED else UNKNOWN)
    return facts


_DOTTED_RE = re.compile(r"[\w.]+")


def _calls_of(callees: set[str]) -> dict[str, object]:
    """The query for the calls whose function is spelled as one of `callees` (dotted names): ast-grep
    tests each call's function, and Python reads those only, not every call of the file. Other spellings
    (never expected) ask for every call."""
    if not all(_DOTTED_RE.fullmatch(callee) for callee in callees):
        return {"rule": {"kind": "call"}}
    spelled = "|".join(sorted(re.escape(callee) for callee in callees))
    return {"rule": {"kind": "call", "has": {"field": "function", "regex": f"^(?:{spelled})$"}}}


def _call_passing(node: SgNode, ctx: FileContext) -> SgNode | None:
    """The call `node` is a whole argument of."""
    parent = ctx.parents[node]
    if parent is not None and parent.kind() == "keyword_argument" and parent.field("value") == node:
        parent = ctx.parents[parent]
    if parent is None or parent.kind() != "argument_list":
        return None
    call = ctx.parents[parent]
    return call if call is not None and call.kind() == "call" else None


def as_exports(facts: dict[tuple[str, str], dict[str, str]]) -> dict[str, str]:
    return {fact_key(module, function, slot): qual for (module, function), slots in facts.items()
            for slot, qual in slots.items()}


def received(ctx: FileContext, index: ProjectIndex | RecordingIndex | None,
             own: dict[tuple[str, str], dict[str, str]]) -> dict[str, dict[str, str]]:
    """{function: {slot: qual}}: what this module's functions are called with, by every caller the index
    knows (under every name this module can be imported as) and by this file itself."""
    from .index.resolve import module_suffixes

    facts: dict[str, dict[str, str]] = {}
    texts = [index.lookup(suffix, "@") for suffix in module_suffixes(ctx.module)] if index is not None and ctx.module else []
    for text in texts:
        for function, slots in decode(text).items():
            for slot, qual in slots.items():
                merge(facts.setdefault(function, {}), slot, qual)
    for (module, function), slots in own.items():
        if module == ctx.module:
            for slot, qual in slots.items():
                merge(facts.setdefault(function, {}), slot, qual)
    return facts


def bind_parameters(ctx: FileContext, facts: dict[str, dict[str, str]]) -> dict[str, str]:
    """Bind the parameters of this module's functions that every call passes the same app or Blueprint:
    in `ctx.scoped` (name -> the functions it holds in). Returns the names whose uses are to be read
    (again), with their quals."""
    if not facts:
        return {}
    new: dict[str, str] = {}
    grown: dict[str, str] = {}  # bound before, now in more functions: their uses are read again
    found: dict[str, set[SgNode]] = {}
    conflicting: set[str] = set()
    for name, function in _module_functions(ctx).items():
        slots = facts.get(name)
        if not slots:
            continue
        params = function.field("parameters")
        position = 0
        receiver = name != function.field("name").text()  # type: ignore[union-attr] # a class's `__init__`
        for param in params.named_children() if params is not None else ():
            kind = param.kind()
            if receiver:
                receiver = False
                continue
            if kind in ("list_splat_pattern", "dictionary_splat_pattern", "keyword_separator",
                        "positional_separator"):
                position = -1 if kind != "positional_separator" else position
                continue
            ident = param if kind == "identifier" else param.child(0)
            if ident is None or ident.kind() != "identifier":
                continue
            quals = {q for q in (slots.get(str(position)) if position >= 0 else None,
                                 slots.get(ident.text())) if q is not None}
            if position >= 0:
                position += 1
            annotation = param.field("type")
            if len(quals) != 1 or UNKNOWN in quals:
                continue
            qual, local = quals.pop(), ident.text()
            if annotation is not None and not _flask_annotation(annotation, ctx, qual):
                continue
            if local in ctx.bindings:
                # A parameter bound in an earlier round holds in one more function when it is the same
                # object there; one named like a module-level name (`def init(app)` beside `app =
                # Flask()`) hides it (scopes.py) unless every call passes that very object.
                holders = ctx.scoped.get(local)
                if ctx.bindings[local] != qual:
                    continue
                if holders is not None and function not in holders:
                    holders.add(function)
                    grown[local] = qual
                elif holders is None and annotation is None and ctx.shadowing.track(
                        ctx.scopes.innermost(params), local):
                    grown[local] = qual
                continue
            if new.get(local, qual) != qual:
                conflicting.add(local)
            new[local] = qual
            found.setdefault(local, set()).add(function)
    for local in conflicting:
        new.pop(local)
    for local in new:
        ctx.scoped[local] = found[local]
    return {**new, **grown}


def note_parameters(ctx: FileContext, uses: dict[SgNode, Chain]) -> None:
    """Say how each use of a parameter bound here got its object: "`app`: the `Flask` object every call of
    `init_app` passes" (`bindings.VIA`)."""
    if not ctx.scoped:
        return
    from .bindings import VIA

    vias = ctx.memo.setdefault(VIA, {})
    for node, chain in uses.items():
        holders = ctx.scoped.get(node.text()) if node.kind() == "identifier" else None
        function = ctx.scopes.enclosing_function(node) if holders else None
        while function is not None and function not in holders:  # type: ignore[operator]
            function = ctx.scopes.enclosing_function(function)
        name = function.field("name") if function is not None else None
        if name is not None:
            vias.setdefault(node, f"`{node.text()}`: the `{names.display(chain[0][0])}` object every call of "
                                  f"`{name.text()}` passes")


def _flask_annotation(annotation: SgNode, ctx: FileContext, qual: str) -> bool:
    """True when the annotation names a class of the package `qual` comes from (`app: Flask`,
    `db: SQLAlchemy`)."""
    from .scopes import IDENTIFIER_RE

    return any(names.root_module(ctx.bindings.get(name, "")) == names.root_module(qual)
               for name in IDENTIFIER_RE.findall(annotation.text()))


def passes_flask(module: str, imported: Iterable[tuple[str, str]], index: ProjectIndex) -> bool:
    """True when the project calls a function of `module` with an app, or `module` imports a function
    (or a module, to call `module.function`) that the project calls so: its calls count too."""
    from .index.resolve import module_suffixes

    callees, functions = index.receivers()
    if not callees:
        return False
    return any(suffix in callees for suffix in module_suffixes(module)) or any(
        (source, name) in functions or f"{source}.{name}" in callees for source, name in imported)
