"""Flask-Caching -> the Flask-Caching bridge (port/written/flask_caching_bridge.py).

What the port rewrites, in a module whose views are decorated with `@NAME.cached(...)` (FMA351) and that makes
`NAME = Cache(app, config={...})` (FMA389; or `Cache(config=...)` then one module-level `NAME.init_app(app)`) for
its own app (and loads no config from elsewhere, where CACHE_* keys may be), with a literal config of an
in-process backend (`CACHE_TYPE` SimpleCache or NullCache, CACHE_DEFAULT_TIMEOUT, CACHE_THRESHOLD):
`from flask_caching import Cache` becomes `from flask_caching_bridge import Cache`; `@NAME.cached(...)` (timeout, key_prefix with or without `%s`,
query_string: literals) stays on the path operation (port/decorators.py), caching what the view returns under
Flask-Caching's key; `NAME.get/set/add/delete/has/clear(...)` go to the same store (tests/test_port_caching.py checks
them against Flask-Caching itself).

Left to people (each site keeps its TODO, with the reason), for the whole module: other backends (Redis,
filesystem...: their keys and serialisation are Flask-Caching's own), `memoize`, `cached` with `unless`,
`make_cache_key`, `response_filter`... (callables of the module, which may read Flask's request), CACHE_* keys
set in the app's config, and the object used otherwise.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from importlib.resources import files

from ast_grep_py import SgNode

from ..ecosystem import extension_for_module
from ..rules.ext_endpoints import CACHE
from ..rules.ext_objects import EXTENSION_OBJECT
from . import decorators, session
from .edits import NotPortable, PortedFile, Site, literal
from .routes import arguments
from ..scopes import span

MODULE = "flask_caching_bridge"
FILE = f"{MODULE}.py"
BRIDGE = files(__package__).joinpath("written", FILE).read_text(encoding="utf-8")
USED = ("caching bridge", 0)
PLAN = ("caching plan", 0)
EXTENSION, OBJECT, CACHED = extension_for_module("flask_caching").code, EXTENSION_OBJECT.code, CACHE.code  # type: ignore[union-attr]
CODES = (EXTENSION, OBJECT, CACHED)
SETTINGS = {"CACHE_TYPE": ("SimpleCache", "NullCache"), "CACHE_DEFAULT_TIMEOUT": int, "CACHE_THRESHOLD": int}
CACHED_OPTIONS = {"timeout": (int, type(None)), "key_prefix": str, "query_string": bool}
STORE = frozenset({"get", "set", "add", "delete", "has", "clear"})


@dataclass
class Plan:
    modules: list[SgNode]
    ours: list[Site] = field(default_factory=list)


def read(file: PortedFile, apps: set[str]) -> None:
    sites = [site for code in CODES for site in file.sites_of(code)]
    if not any(site.code == EXTENSION for site in sites):
        return
    if not any(site.code == CACHED for site in sites):
        return  # a Cache no view is decorated with: an extension given the app, port/extensions.py's to convert
    decorators.settle(file, sites, PLAN, lambda: _plan(file, sites, apps), "Flask-Caching's",
                      lambda site: site.node if site.code == CACHED and site.node.kind() == "attribute" else None)


def contexts(file: PortedFile) -> dict[int, SgNode]:
    return {}  # no handler of its own whose answer is a response


def finish(file: PortedFile) -> None:
    plan: Plan | None = file.memo.get(PLAN)
    if plan is None:
        return
    decorators.bridged(file, plan.modules, MODULE, plan.ours, USED)


def _plan(file: PortedFile, sites: list[Site], apps: set[str]) -> tuple[Plan, list[SgNode]]:
    modules = []
    for statement in file.root.find_all(kind="import_from_statement"):
        module = statement.field("module_name")
        if module is None or module.text() != "flask_caching":
            continue
        names = [item.text() for item in statement.named_children()[1:]]
        if names != ["Cache"] or statement.parent() is None or statement.parent().kind() != "module":  # type: ignore[union-attr]
            raise NotPortable("the module imports other names of flask_caching than Cache, or imports it otherwise")
        modules.append(module)
    if len(modules) != 1 or any(node.text().startswith("flask_caching") for node in file.root.find_all(kind="dotted_name")
                                if node.parent() is not None and node.parent().kind() in ("import_statement", "aliased_import")):  # type: ignore[union-attr]
        raise NotPortable("flask_caching is imported as a module, or more than once")
    calls = [c for c in file.root.find_all(kind="call") if c.field("function") is not None
             and c.field("function").text() == "Cache"]  # type: ignore[union-attr]
    if len(calls) != 1:
        raise NotPortable("not one Cache(...) in the module")
    call = calls[0]
    positional, keywords = arguments(call)
    assignment = call.parent()
    statement = assignment.parent() if assignment is not None else None
    if assignment is None or assignment.kind() != "assignment" or assignment.field("left").kind() != "identifier" or \
            statement is None or statement.parent() is None or statement.parent().kind() != "module":  # type: ignore[union-attr]
        raise NotPortable("the Cache is not bound to a name at module level")
    name = assignment.field("left").text()  # type: ignore[union-attr]
    given = positional[0] if positional else keywords.get("app")
    if len(positional) > 1 or set(keywords) - {"app", "config"} or given is not None and given.text() not in apps:
        raise NotPortable("Cache(...) is not given this module's app and a config")
    _config(keywords.get("config"))
    for key in SETTINGS:
        if file.text.count(key) != (keywords["config"].text().count(key) if "config" in keywords else 0):
            raise NotPortable(f"{key} is set outside Cache(config=...), in Flask's config, which the bridge does not see")
    if "CACHE_" in file.text.replace("CACHE_TYPE", "").replace("CACHE_DEFAULT_TIMEOUT", "").replace("CACHE_THRESHOLD", ""):
        raise NotPortable("other CACHE_* settings than CACHE_TYPE, CACHE_DEFAULT_TIMEOUT and CACHE_THRESHOLD")
    inits = 0
    guards: list[SgNode] = []
    for node in file.root.find_all(kind="identifier"):
        if node.text() != name or node == assignment.field("left"):
            continue
        attribute = node.parent()
        if attribute is None or attribute.kind() != "attribute" or attribute.field("object") != node:
            raise NotPortable(f"{name} is used at line {node.range().start.line + 1} other than by its methods")
        method = attribute.field("attribute").text()  # type: ignore[union-attr]
        used = attribute.parent()
        if used is None or used.kind() != "call" or used.field("function") != attribute:
            raise NotPortable(f"{attribute.text()} is not called")
        if method == "cached":
            decorator = used.parent()
            if decorator is None or decorator.kind() != "decorator":
                raise NotPortable(f"{name}.cached(...) is used other than as a view's decorator")
            options_positional, options = arguments(used)
            if options_positional or set(options) - set(CACHED_OPTIONS):
                raise NotPortable(f"{name}.cached(...) with options the bridge has not (only timeout, key_prefix, "
                                  "query_string)")
            for option, value in options.items():
                try:
                    if not isinstance(literal(value), CACHED_OPTIONS[option]):  # type: ignore[arg-type]
                        raise ValueError
                except ValueError:
                    raise NotPortable(f"{name}.cached({option}=...) is not a literal of its type") from None
            guards.append(attribute)
        elif method == "init_app":
            init_positional, init_keywords = arguments(used)
            if given is not None or init_keywords or len(init_positional) != 1 or init_positional[0].text() not in apps \
                    or used.parent() is None or used.parent().kind() != "expression_statement" \
                    or used.parent().parent() is None or used.parent().parent().kind() != "module":  # type: ignore[union-attr]
                raise NotPortable(f"{name}.init_app(...) is not given this module's app once, at module level")
            inits += 1
        elif method not in STORE:
            raise NotPortable(f"{attribute.text()} is not a method the bridge has")
    if given is None and inits != 1:
        raise NotPortable("the Cache is not given this module's app")
    if any(load in file.text for load in (".config.from_", ".config.update(", ".config.setdefault(")):
        raise NotPortable("the app loads config the Cache may read (CACHE_* keys) from elsewhere")
    plan = Plan(modules)
    for site in sites:
        node = site.node
        if site.code == EXTENSION and file.statement_of(node).field("module_name") in modules or \
                site.code == OBJECT and span(call)[0] <= span(node)[0] <= span(call)[1] or \
                node.text().startswith(name + "."):
            plan.ours.append(site)
            continue
        raise NotPortable(f"{site.code} at line {node.range().start.line + 1} ({node.text()[:40]}) is not a use the "
                          "bridge has")
    return plan, guards


def _config(node: SgNode | None) -> None:
    """A literal dict of the settings the bridge reads, with values it has."""
    if node is None:
        return
    try:
        config = ast.literal_eval(node.text())
    except (ValueError, SyntaxError):
        raise NotPortable("the Cache's config is not a literal dict") from None
    if not isinstance(config, dict) or set(config) - set(SETTINGS):
        raise NotPortable("the Cache's config has other settings than CACHE_TYPE, CACHE_DEFAULT_TIMEOUT, "
                          "CACHE_THRESHOLD")
    if config.get("CACHE_TYPE", "NullCache") not in SETTINGS["CACHE_TYPE"]:  # type: ignore[operator]
        raise NotPortable(f"CACHE_TYPE {config.get('CACHE_TYPE')!r}: the bridge has only the in-process SimpleCache "
                          "and NullCache")
    for key in ("CACHE_DEFAULT_TIMEOUT", "CACHE_THRESHOLD"):
        if key in config and not isinstance(config[key], int):
            raise NotPortable(f"{key} is not an integer")


def bridge_path(root, path: str) -> str:  # type: ignore[no-untyped-def]
    return session.bridge_path(root, path)[: -len(session.FILE)] + FILE
