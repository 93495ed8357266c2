"""A Blueprint's URL processors for a prefix parameter -> a router dependency, and the value in its URLs.

Flask's pattern for a parameter every route of a Blueprint shares (flask/sansio/scaffold.py, 3.1):

    bp = Blueprint("pages", __name__, url_prefix="/<lang>")

    @bp.url_value_preprocessor
    def pull_lang(endpoint, values):
        g.lang = values.pop("lang")        # before the view, which does not get it

    @bp.url_defaults
    def add_lang(endpoint, values):
        values.setdefault("lang", g.lang)  # url_for("pages.<view>") fills it in

The preprocessor becomes a dependency of the router, which FastAPI runs for each of its routes with the prefix's
parameter (`APIRouter(prefix="/{lang}", dependencies=[Depends(pull_lang)])`, `request.state.lang = lang`, where the
views' `g` is `request.state`: hooks.py), and the defaults become the value passed where the module builds a URL of
the Blueprint's endpoints (`url_path_for("pages.contact", lang=...)`, quoted as Werkzeug's converter quotes it),
unless the call gives it.

Only that pattern, where nothing else sees the difference: each body only those statements on Flask's `g`; each key
a parameter of the Blueprint's own url_prefix (so every route of it has one); the Blueprint made in this module;
no `before_request` hook in the project (Flask runs the preprocessors before them, the dependency runs after the
middleware the port makes of them); with url_defaults, no other module naming the Blueprint's endpoints and no
template calling url_for (they would build without the value).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from ast_grep_py import SgNode

from ..rules.url_map import URL_PROCESSORS
from ..scopes import span
from . import codes
from .edits import NotPortable, PortedFile, Site
from .routes import BlueprintInfo, blueprint_info, call_of

# `g.NAME = values.pop("KEY")` and `values.setdefault("KEY", g.NAME)`, as written (one statement each)
_POP = re.compile(r"""g\.(?P<name>[A-Za-z_]\w*)\s*=\s*(?P<values>\w+)\.pop\(\s*(['"])(?P<key>[A-Za-z_]\w*)\3\s*\)""")
_DEFAULT = re.compile(r"""(?P<values>\w+)\.setdefault\(\s*(['"])(?P<key>[A-Za-z_]\w*)\2\s*,\s*g\.(?P<name>[A-Za-z_]\w*)\s*\)""")
# a prefix's variables, with the converters whose values the dependency can take as Werkzeug gave them
_VARIABLE = re.compile(r"<(?:(?P<converter>\w+):)?(?P<key>[A-Za-z_]\w*)>")
_TYPES = {None: ("", "str"), "string": ("", "str"), "int": (":int", "int")}
# werkzeug/routing/converters.py BaseConverter.to_url
_SAFE = "!$&'()*+,/:;=@"
_TEMPLATE_SUFFIXES = (".html", ".htm", ".xml", ".j2", ".jinja", ".jinja2", ".txt", ".xhtml", ".svg")


def port_url_values(file: PortedFile, resolve, root: Path | None, flagged: frozenset[str]) -> None:  # type: ignore[no-untyped-def]
    """Every FMA116 site of the module, ported per Blueprint, or left with its TODO and why."""
    by_owner: dict[str, list[Site]] = {}
    for site in file.sites_of(URL_PROCESSORS.code):
        owner = site.node.field("object").text() if site.node.kind() == "attribute" else ""  # type: ignore[union-attr]
        by_owner.setdefault(owner, []).append(site)
    for owner, sites in by_owner.items():
        try:
            _port(file, owner, sites, resolve, root, flagged)
        except NotPortable as reason:
            for site in sites:
                site.reason = site.reason or str(reason)
                file.todo(site, f"{site.advice} (not ported: {reason})")


def _port(file: PortedFile, owner: str, sites: list[Site], resolve, root: Path | None,  # type: ignore[no-untyped-def]
          flagged: frozenset[str]) -> None:
    info: BlueprintInfo | None = resolve(file, owner) if owner else None
    made = next((s for s in file.sites_of(codes.BLUEPRINT) if _assigned(s) == owner), None)
    try:
        convertible = made is not None and blueprint_info(file, made) is not None
    except NotPortable:
        convertible = False
    if info is None or info.path != file.path or not convertible:
        raise NotPortable(f"{owner or 'it'} is not a Blueprint this module makes and the port converts")
    if file.bound.get("g") != "flask":
        raise NotPortable("g here is not Flask's")
    variables = {m.group("key"): m.group("converter") for m in _VARIABLE.finditer(info.prefix)}
    pops: dict[str, str] = {}  # key -> g attribute
    defaults: dict[str, str] = {}
    functions: list[tuple[SgNode, str, list[str]]] = []  # (decorated definition, name, parameter-ish keys)
    for site in sites:
        method = site.node.field("attribute").text()  # type: ignore[union-attr]
        if method not in ("url_value_preprocessor", "url_defaults"):
            raise NotPortable(f"{owner}.{method} is not ported")
        definition, function = _decorated(site)
        statements = _body(function)
        pattern = _POP if method == "url_value_preprocessor" else _DEFAULT
        found = [pattern.fullmatch(s.text()) for s in statements]
        parameters = [p.text() for p in function.field("parameters").named_children() if p.kind() != "comment"]  # type: ignore[union-attr]
        if not found or any(m is None or m.group("values") != parameters[1] for m in found):
            raise NotPortable(f"{function.field('name').text()} does more than "  # type: ignore[union-attr]
                              + ("g.name = values.pop('key')" if pattern is _POP else "values.setdefault('key', g.name)"))
        for m in found:
            if m.group("key") not in variables or variables[m.group("key")] not in _TYPES:  # type: ignore[union-attr]
                raise NotPortable(f"{m.group('key')} is not a string or int parameter of {owner}'s url_prefix")  # type: ignore[union-attr]
            (pops if pattern is _POP else defaults)[m.group("key")] = m.group("name")  # type: ignore[union-attr]
        functions.append((definition, function.field("name").text(), [m.group("key") for m in found]))  # type: ignore[union-attr, misc]
    if not pops:
        raise NotPortable("url_defaults without a url_value_preprocessor that takes the value")
    if any(pops.get(key) != name for key, name in defaults.items()):
        raise NotPortable("url_defaults fills a key from another g name than the preprocessor sets")
    for definition, name, _ in functions:
        if any(n.text() == name and not _within(n, definition) for n in file.root.find_all(kind="identifier")):
            raise NotPortable(f"{name} is also used elsewhere in the module")
    _nothing_else_sees_it(file, info, bool(defaults), root, flagged)
    # the dependency: one per Blueprint, named after its first preprocessor
    dependency = next(name for definition, name, keys in functions if any(k in pops for k in keys)
                      and _is_preprocessor(definition))
    if dependency in file.definitions or file.bound.get(dependency, file.path) != file.path:
        raise NotPortable(f"the module already defines {dependency}")
    file.use("fastapi", "Depends", "Request")
    typed = ", ".join(f"{key}: {_TYPES[variables[key]][1]}" for key in pops)
    assignments = "".join(f"\n    request.state.{name} = {key}" for key, name in pops.items())
    file.definitions[dependency] = (
        f"def {dependency}(request: Request, {typed}) -> None:\n"
        f'    """{owner}.url_value_preprocessor: what Flask kept on g, from the router\'s prefix."""{assignments}\n')
    prefix = _VARIABLE.sub(lambda m: "{" + m.group("key") + _TYPES[m.group("converter")][0] + "}", info.prefix)
    file.memo.setdefault(ROUTERS, []).append((made, info.prefix, prefix, dependency))
    if defaults:
        _fill_urls(file, info, defaults)
    for definition, _, _ in functions:
        _delete(file, definition)
        for site in file.sites_in(definition):  # its g reads and writes are the dependency's and the URLs' now
            site.handled = True


# file.memo key: the routers whose creation `finish` gives the prefix and dependency, once port_blueprint made them
ROUTERS = ("routers with url value preprocessors", 0)


def finish(file: PortedFile) -> None:
    """`APIRouter(prefix="/<lang>")` -> `APIRouter(prefix="/{lang}", dependencies=[Depends(pull_lang)])`. A router
    port_blueprint did not make stays a Blueprint: its unit stays Flask, and the file is ported again from its text."""
    for made, flask_prefix, prefix, dependency in file.memo.get(ROUTERS, ()):
        call = call_of(made.node)
        rendered = file.rendered(call) if call is not None else ""
        old = f"prefix={json.dumps(flask_prefix)}"
        if not made.handled or old not in rendered or not rendered.endswith(")"):
            made.reason = made.reason or f"the port could not add the dependency {dependency} to {rendered}"
            made.handled = False
            continue
        file.replace(call, rendered.replace(old, f"prefix={json.dumps(prefix)}")[:-1]  # type: ignore[arg-type]
                     + f", dependencies=[Depends({dependency})])")


def _delete(file: PortedFile, definition: SgNode) -> None:
    """Remove a module-level definition with the blank lines above it (two, as between top-level definitions)."""
    start, end = span(definition)
    first = file.line_start(start)
    for _ in range(2):
        above = file.text.rfind("\n", 0, max(first - 1, 0)) + 1
        if first == 0 or file.text[above:first].strip():
            break
        first = above
    newline = file.text.find("\n", end)
    edit = definition.replace("")
    edit.start_pos, edit.end_pos = first, (newline + 1 if newline >= 0 else end)
    file.edits.setdefault(file.line_of(first), []).append(edit)


def _is_preprocessor(definition: SgNode) -> bool:
    return any("url_value_preprocessor" in d.text() for d in definition.children() if d.kind() == "decorator")


def _decorated(site: Site) -> tuple[SgNode, SgNode]:
    decorator = site.node.parent()
    definition = decorator.parent() if decorator is not None else None
    function = definition.field("definition") if definition is not None and definition.kind() == "decorated_definition" else None
    if decorator is None or decorator.kind() != "decorator" or function is None or len(definition.children()) != 2 \
            or function.kind() != "function_definition" or definition.parent() is None \
            or definition.parent().kind() != "module":  # type: ignore[union-attr]
        raise NotPortable("not the one decorator of a module-level function")
    parameters = [p for p in function.field("parameters").named_children() if p.kind() != "comment"]  # type: ignore[union-attr]
    if len(parameters) != 2 or any(p.kind() != "identifier" for p in parameters):
        raise NotPortable("the function does not take (endpoint, values) as Flask calls it")
    return definition, function  # type: ignore[return-value]


def _body(function: SgNode) -> list[SgNode]:
    """The statements of the function, without its docstring and comments."""
    body = function.field("body")
    statements = [s for s in body.named_children() if s.kind() != "comment"] if body is not None else []
    if statements and statements[0].kind() == "expression_statement" and statements[0].named_children() \
            and statements[0].named_children()[0].kind() == "string":
        statements = statements[1:]
    return statements


def _within(node: SgNode, outer: SgNode) -> bool:
    return span(outer)[0] <= span(node)[0] and span(node)[1] <= span(outer)[1]


def _assigned(site: Site) -> str | None:
    call = call_of(site.node)
    parent = call.parent() if call is not None else None
    if parent is not None and parent.kind() == "assignment" and parent.field("left").kind() == "identifier":  # type: ignore[union-attr]
        return parent.field("left").text()  # type: ignore[union-attr]
    return None


def _nothing_else_sees_it(file: PortedFile, info: BlueprintInfo, defaults: bool, root: Path | None,
                          flagged: frozenset[str]) -> None:
    texts = {file.path: file.text}
    for path in sorted(flagged):
        if path != file.path and path.endswith(".py") and root is not None:
            try:
                texts[path] = (root / path).read_text(encoding="utf-8", errors="replace")
            except OSError:
                raise NotPortable(f"{path} cannot be read") from None
    for path, text in texts.items():
        if re.search(r"\bbefore_(?:app_)?request\b", text):
            raise NotPortable(f"{path} has a before_request hook, which Flask runs after the preprocessor and the "
                              "port's middleware before the router's dependency")
        if defaults and path != file.path and re.search(rf"""['"]{re.escape(info.name)}\.""", text):
            raise NotPortable(f"{path} names {info.name}'s endpoints, where url_defaults filled the URL in")
    if defaults and root is not None:
        for path in root.rglob("*"):
            if path.suffix in _TEMPLATE_SUFFIXES and path.is_file() and \
                    "url_for" in path.read_text(encoding="utf-8", errors="replace"):
                raise NotPortable(f"{path.relative_to(root)} calls url_for, which would build without url_defaults")


_BUILT = re.compile(r"""(url_(?:path_)?for\(\s*"([^"]*)")""")


def _fill_urls(file: PortedFile, info: BlueprintInfo, defaults: dict[str, str]) -> None:
    """The URLs the module builds for the Blueprint's endpoints get what url_defaults filled in."""
    for site in file.sites_of(codes.URL):
        call = call_of(site.node) or site.node
        if call.kind() != "call":
            continue
        if not site.handled:
            if re.search(rf"""['"]({re.escape(info.name)})?\.""", call.text()):
                raise NotPortable(f"a url_for of {info.name}'s endpoints at line {call.range().start.line + 1} is "
                                  "left to people, without url_defaults")
            continue
        rendered = file.rendered(call)
        given = {a.field("name").text() for a in call.field("arguments").named_children()  # type: ignore[union-attr]
                 if a.kind() == "keyword_argument"}
        match = _BUILT.search(rendered)
        if match is None or not match.group(2).startswith(info.name + "."):
            continue
        if given & set(defaults):
            raise NotPortable(f"a url_for at line {call.range().start.line + 1} passes {sorted(given & set(defaults))[0]} "
                              "itself, a parameter of the prefix, which the port's url_for takes for a query value")
        filled = "".join(f", {key}=quote(str(request.state.{name}), safe={json.dumps(_SAFE)})"
                         for key, name in defaults.items())
        if filled:
            file.use("urllib.parse", "quote")
            file.replace(call, rendered[:match.end()] + filled + rendered[match.end():])
