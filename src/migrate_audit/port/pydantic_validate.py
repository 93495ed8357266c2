"""Flask-Pydantic's `@validate()` -> the decorator of port/written/flask_pydantic_bridge.py, on the path operation.

Where a view decorated with `@validate(...)` (literal on_success_status, exclude_none, response_many,
response_by_alias) takes its models as `query: Model` and `body: Model` parameters and no other annotated
parameter, the bridge's decorator fills them and answers invalid input and the view's models as Flask-Pydantic
does (tests/test_port_pydantic_validate.py checks it against Flask-Pydantic itself): `from flask_pydantic import
validate` becomes the bridge's. Anything else keeps its TODO and its route with Flask, saying why: models given
to validate() itself (the view reads them from Flask's request), a `form` model, its other options, the
FLASK_PYDANTIC_* config keys.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib.resources import files

from ast_grep_py import SgNode

from ..ecosystem import extension_for_module
from ..rules.ext_objects import EXTENSION_OBJECT
from . import codes, decorators, session
from .edits import NotPortable, PortedFile, Site, literal
from .routes import arguments

MODULE = "flask_pydantic_bridge"
FILE = f"{MODULE}.py"
BRIDGE = files(__package__).joinpath("written", FILE).read_text(encoding="utf-8")
USED = ("pydantic validate bridge", 0)
PLAN = ("pydantic validate plan", 0)
EXTENSION, OBJECT = extension_for_module("flask_pydantic").code, EXTENSION_OBJECT.code  # type: ignore[union-attr]
OPTIONS = {"on_success_status": int, "exclude_none": bool, "response_many": bool, "response_by_alias": bool}


@dataclass
class Plan:
    module: SgNode  # `flask_pydantic` in its import
    ours: list[Site] = field(default_factory=list)


def read(file: PortedFile, apps: set[str]) -> None:
    imports = file.sites_of(EXTENSION)
    if not imports:
        return
    uses = [site for site in file.sites_of(OBJECT) if site.node.text().startswith("validate(")]
    decorators.settle(file, imports + uses, PLAN, lambda: _plan(file, imports, uses), "Flask-Pydantic's",
                      lambda site: site.node.field("function") if site.node.kind() == "call" else None,
                      alone=lambda guard: _alone(guard), pool=True)


def _alone(guard: SgNode) -> decorators.Alone:
    """On a view moved alone (split.py) the bridge's decorator answers as Flask-Pydantic's: it needs nothing of the
    module but its import, and what it answers itself (a validation error's 400) it returns, as Flask-Pydantic does;
    but Flask's get_json() raises its 415 and 400 for a body that is not JSON, which the Flask app's handlers for those
    statuses would take. Flask-Pydantic reads its FLASK_PYDANTIC_* keys from the Flask app's config, wherever set."""
    view = guard.parent().parent().parent().field("definition")  # type: ignore[union-attr]  # call, decorator, definition
    names = set()
    for parameter in view.field("parameters").named_children():  # type: ignore[union-attr]
        name = parameter if parameter.kind() == "identifier" else parameter.field("name") or \
            next(iter(parameter.named_children()), None)
        names.add(name.text() if name is not None else "")
    return decorators.Alone(raises=frozenset({"400", "415"}) if "body" in names else frozenset(),
                            unless=("FLASK_PYDANTIC",))


def contexts(file: PortedFile) -> dict[int, SgNode]:
    return {}  # no handler of its own whose answer is a response


def finish(file: PortedFile) -> None:
    plan: Plan | None = file.memo.get(PLAN)
    if plan is None:
        return
    file.swap_import(plan.module, MODULE)  # `from flask_pydantic import validate`: the bridge's validate
    for site in plan.ours:
        site.handled = True
    file.memo[USED] = True


def _plan(file: PortedFile, imports: list[Site], uses: list[Site]) -> tuple[Plan, list[SgNode]]:
    if "FLASK_PYDANTIC" in file.text:
        raise NotPortable("FLASK_PYDANTIC_* config keys change what Flask-Pydantic answers")
    statements = [s for s in file.root.find_all(kind="import_from_statement")
                  if s.field("module_name") is not None and s.field("module_name").text() == "flask_pydantic"]  # type: ignore[union-attr]
    if len(statements) != 1 or [item.text() for item in statements[0].named_children()[1:]] != ["validate"] or \
            statements[0].parent() is None or statements[0].parent().kind() != "module":  # type: ignore[union-attr]
        raise NotPortable("the module imports other names of flask_pydantic than validate, or imports it otherwise")
    guards = []
    for site in uses:
        call = site.node
        decorator = call.parent()
        definition = decorator.parent() if decorator is not None else None
        view = definition.field("definition") if definition is not None else None
        if call.kind() != "call" or decorator is None or decorator.kind() != "decorator" or view is None or \
                view.kind() != "function_definition":
            raise NotPortable("validate() is used other than as a view's decorator")
        positional, keywords = arguments(call)
        if positional or set(keywords) - set(OPTIONS):
            raise NotPortable("validate() with models or options the bridge has not (the view's query: and body: "
                              "parameters are)")
        for option, value in keywords.items():
            try:
                if not isinstance(literal(value), OPTIONS[option]):
                    raise ValueError
            except ValueError:
                raise NotPortable(f"validate({option}=...) is not a literal of its type") from None
        for parameter in view.field("parameters").named_children():  # type: ignore[union-attr]
            name = parameter.field("name") if parameter.kind() != "identifier" else parameter
            if name is None and parameter.named_children():
                name = parameter.named_children()[0]
            annotated = parameter.kind() in ("typed_parameter", "typed_default_parameter")
            if name is not None and annotated and name.text() not in ("query", "body"):
                raise NotPortable(f"the view's parameter {name.text()} is annotated (Flask-Pydantic validates it after "
                                  "Flask's converters, FastAPI instead of them) or is a form model")
            if name is not None and name.text() in ("query", "body") and not annotated:
                raise NotPortable(f"the view's {name.text()} parameter has no model")
        if file.sites_in(view, codes.TUPLE):
            raise NotPortable("the view returns a tuple, which Flask-Pydantic reads (a model first) before Flask's "
                              "make_response, and the port rewrites as a view's")
        if file.sites_in(view, codes.BODY) or any(s.node.text().startswith("request.") for s in file.sites_in(view)):
            raise NotPortable("the view reads the request itself besides its models")
        guards.append(call.field("function"))
    names = [n for n in file.root.find_all(kind="identifier") if n.text() == "validate"]
    if len(names) != len(uses) + 1:
        raise NotPortable("validate is used other than as `@validate(...)` on views")
    return Plan(statements[0].field("module_name"), imports + uses), guards  # type: ignore[arg-type]


def bridge_path(root, path: str) -> str:  # type: ignore[no-untyped-def]
    return session.bridge_path(root, path)[: -len(session.FILE)] + FILE
