"""Flask-CORS's per-route `@cross_origin()` -> the decorator of port/written/flask_cors_route.py, on the path
operation, with OPTIONS added to the route's methods as Flask-CORS adds it to the rule's.

Only `cross_origin()` without arguments, in a module that sets no CORS_* config and does not also call
`CORS(...)` (whose after_request hook would take part): the decorator then answers what Flask-CORS's defaults
answer (tests/test_port_cross_origin.py checks it against Flask-CORS itself). And only on a view FastAPI can call for
an OPTIONS request as Flask did (the view is not run then): none of the parameters the port gives it is required
(a JSON body, a form field), and its returns are not strings (which the route's HTMLResponse would send, not
the decorator). Anything else keeps its TODO and its route with Flask, saying why.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib.resources import files

from ast_grep_py import SgNode

from ..rules.ext_endpoints import CROSS_ORIGIN as CROSS_ORIGIN_RULE
from . import codes, decorators, session
from .edits import NotPortable, PortedFile, Site
from .routes import arguments

MODULE = "flask_cors_route"
FILE = f"{MODULE}.py"
BRIDGE = files(__package__).joinpath("written", FILE).read_text(encoding="utf-8")
USED = ("cross_origin bridge", 0)
PLAN = ("cross_origin plan", 0)
CROSS_ORIGIN = CROSS_ORIGIN_RULE.code


@dataclass
class Plan:
    import_name: SgNode  # `cross_origin` in `from flask_cors import ...`
    uses: list[tuple[Site, SgNode]] = field(default_factory=list)  # (the site, the view function)
    imports: list[Site] = field(default_factory=list)


def read(file: PortedFile, apps: set[str]) -> None:
    sites = file.sites_of(CROSS_ORIGIN)
    if not sites:
        return
    plan = decorators.settle(file, sites, PLAN, lambda: _with_uses(_plan(file, sites)), "Flask-CORS's",
                             lambda site: site.node)
    for site, _ in plan.uses if plan is not None else ():
        decorators.add_methods(file, site.node, ["OPTIONS"])


def _with_uses(plan: Plan) -> tuple[Plan, list[SgNode]]:
    return plan, [site.node for site, _ in plan.uses]  # the decorators that stay on the views


def contexts(file: PortedFile) -> dict[int, SgNode]:
    return {}  # no handler of its own whose answer is a response


def finish(file: PortedFile) -> None:
    plan: Plan | None = file.memo.get(PLAN)
    if plan is None:
        return
    for site, view in plan.uses:
        required = [text for key, text in file.signature(view).added.items() if key != "request" and " = " not in text]
        if required or file.sites_in(view, codes.STRING):
            why = "the view takes a parameter FastAPI would require of the OPTIONS request Flask-CORS answered " \
                  "without it" if required else "the view returns strings, which its route's HTMLResponse sends"
            file.blocked.setdefault("*", f"cross_origin() at {file.path}:{site.node.range().start.line + 1} stays "
                                         f"Flask-CORS's: {why}")
            return
    file.bound["cross_origin"] = MODULE  # the decorator's name, imported from the bridge in place of Flask-CORS's
    file.use(MODULE, "cross_origin")
    for site, _ in plan.uses:
        site.handled = True
    for site in plan.imports:
        site.handled = True
    file.memo[USED] = True


def _plan(file: PortedFile, sites: list[Site]) -> Plan:
    if "CORS_" in file.text:
        raise NotPortable("CORS_* config keys change what Flask-CORS answers")
    statements = [s for s in file.root.find_all(kind="import_from_statement")
                  if s.field("module_name") is not None and s.field("module_name").text() == "flask_cors"]  # type: ignore[union-attr]
    names = [(item, item.text()) for s in statements for item in s.named_children()[1:]]
    if len(statements) != 1 or [name for _, name in names] != ["cross_origin"] or \
            statements[0].parent() is None or statements[0].parent().kind() != "module":  # type: ignore[union-attr]
        raise NotPortable("the module imports other names of flask_cors than cross_origin, or imports it otherwise")
    plan = Plan(names[0][0])
    for site in sites:
        node = site.node
        call = node.parent()
        decorator = call.parent() if call is not None else None
        if node.kind() != "identifier" or node.text() != "cross_origin" or call is None or call.kind() != "call" or \
                decorator is None or decorator.kind() != "decorator":
            raise NotPortable("cross_origin is used other than as `@cross_origin()`")
        if arguments(call) != ([], {}):
            raise NotPortable("cross_origin() with options, which the port does not carry over yet")
        definition = decorator.parent()
        view = definition.field("definition") if definition is not None else None
        if view is None or view.kind() != "function_definition":
            raise NotPortable("@cross_origin() is not on a function")
        if view.text().startswith("async"):
            raise NotPortable("@cross_origin() on an async view, which Flask-CORS's sync wrapper cannot answer (Flask "
                              "answers 500)")
        plan.uses.append((site, view))
    uses = [n for n in file.root.find_all(kind="identifier") if n.text() == "cross_origin"]
    if len(uses) != len(plan.uses) + 1:
        raise NotPortable("cross_origin is used other than as `@cross_origin()`")
    plan.imports = [s for s in file.sites_of(codes.CORS_IMPORT) if file.statement_of(s.node) == statements[0]]
    return plan


def bridge_path(root, path: str) -> str:  # type: ignore[no-untyped-def]
    return session.bridge_path(root, path)[: -len(session.FILE)] + FILE
