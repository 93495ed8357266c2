"""Flask's Jinja environment set up on the app -> the same on the module's `templates` (Jinja2Templates).

Flask renders every template of the app with one environment, `app.jinja_env` (flask/sansio/app.py, 3.1), which the
app customises at import: `app.jinja_env.trim_blocks = True`, `app.jinja_env.globals[...] = ...`, filters, tests and
globals registered with `@app.template_filter(name)` / `app.add_template_filter(f, name)` (`jinja_env.filters[name
or f.__name__] = f`), and context processors (`@app.context_processor`), whose values Flask adds to each render's
context before the view's own (the view's win: `update_template_context`). The port renders with the module's
`templates = Jinja2Templates(...)` (templates.py), whose `env` is a Jinja environment too, so:

- `app.jinja_env` in a statement at the top of the module -> `templates.env`, the statement kept;
- a filter, global or test registered by decorator -> the function, then `templates.env.filters["name"] = f`
  after it; by `app.add_template_*` -> `templates.env.filters[name or f.__name__] = f` in its place;
- a context processor -> `templates.context_processors.append(lambda request: f())` after the function:
  Starlette calls each with the request and updates the context with what it returns, after the view's values,
  so only a processor whose keys are literal and that no `render_template` of the module passes itself (where
  Flask's view would win), and whose body has nothing left to people (it runs outside Flask's request context).

Only where that environment is the one every template of the app is rendered with: the module defines
`templates` (a view of it renders through the port) and no other module of the project calls render_template
(each would have a Jinja2Templates of its own, without these settings). Blueprint-wide registrations
(`bp.app_template_filter`) are left to people.
"""
from __future__ import annotations

import json
from pathlib import Path

from ast_grep_py import SgNode

from ..rules.application import JINJA_ENVIRONMENT
from .edits import NotPortable, PortedFile, Site, literal
from .routes import arguments, call_of
from .templates import TEMPLATES

# what the app's registrations fill, by method
_REGISTRIES = {"template_filter": "filters", "template_global": "globals", "template_test": "tests"}
_ADDERS = {f"add_{method}": registry for method, registry in _REGISTRIES.items()}


def port_jinja_env(file: PortedFile, apps: set[str], root: Path | None, flagged: frozenset[str]) -> None:
    """Each FMA507 site on the module's app -> its form on `templates`, or its TODO and why not."""
    sites = [site for site in file.sites_of(JINJA_ENVIRONMENT.code) if site.node.kind() == "attribute"
             and site.node.field("object").text() in apps]  # type: ignore[union-attr]
    if not sites:
        return
    try:
        _environment_is_the_apps(file, root, flagged)
    except NotPortable as reason:
        for site in sites:
            _leave(file, site, reason)
        return
    rendered = _rendered_keys(file)
    for site in sites:
        try:
            _port(file, site, rendered)
        except NotPortable as reason:
            _leave(file, site, reason)


def _leave(file: PortedFile, site: Site, reason: NotPortable) -> None:
    site.reason = site.reason or str(reason)
    file.todo(site, f"{site.advice} (not ported: {reason})")


def _environment_is_the_apps(file: PortedFile, root: Path | None, flagged: frozenset[str]) -> None:
    if TEMPLATES not in file.definitions or file.bound.get(TEMPLATES, "fastapi.templating") != "fastapi.templating":
        raise NotPortable(f"no view of this module renders a template through the port's {TEMPLATES}, whose "
                          "environment these settings would go on")
    for path in sorted(flagged):
        if path == file.path or not path.endswith(".py") or root is None:
            continue
        try:
            text = (root / path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            text = "render_template"
        if "render_template" in text:
            raise NotPortable(f"{path} renders templates too, with a Jinja2Templates of its own that these "
                              "settings would not reach")


def _rendered_keys(file: PortedFile) -> set[str]:
    """The context keys the module's render_template calls pass themselves ("**" when one passes **values)."""
    keys: set[str] = set()
    for call in file.root.find_all(kind="call"):
        function = call.field("function")
        # (stream_template's port puts the processors' values under the view's, as Flask does: templates.py)
        if function is None or function.text().split(".")[-1] not in ("render_template", "render_template_string"):
            continue
        for argument in call.field("arguments").named_children():  # type: ignore[union-attr]
            if argument.kind() == "keyword_argument":
                keys.add(argument.field("name").text())  # type: ignore[union-attr]
            elif argument.kind() == "dictionary_splat":
                keys.add("**")
    return keys


def _top_statement(file: PortedFile, node: SgNode) -> SgNode:
    statement = file.statement_of(node)
    parent = statement.parent()
    if parent is not None and parent.kind() == "decorated_definition":
        parent = parent.parent()
    if parent is None or parent.kind() != "module":
        raise NotPortable("outside the top of the module (an app factory, a function): the port writes the "
                          "environment's set-up at import")
    return statement


def _port(file: PortedFile, site: Site, rendered: set[str]) -> None:
    node = site.node
    app, method = node.field("object").text(), node.field("attribute").text()  # type: ignore[union-attr]
    if method == "jinja_env":
        _top_statement(file, node)
        file.replace(node, f"{TEMPLATES}.env")
        site.handled = True
    elif method in _REGISTRIES or method == "context_processor":
        _decorator(file, site, method, rendered)
    elif method in _ADDERS:
        _adder(file, site, _ADDERS[method])
    else:
        raise NotPortable(f"{app}.{method} is not ported yet")


def _decorator(file: PortedFile, site: Site, method: str, rendered: set[str]) -> None:
    call = call_of(site.node)
    decorator = (call or site.node).parent()
    definition = decorator.parent() if decorator is not None else None
    if decorator is None or decorator.kind() != "decorator" or definition is None or len(definition.children()) != 2:
        raise NotPortable("not the one decorator of a function")
    function = definition.field("definition")
    if function is None or function.kind() != "function_definition":
        raise NotPortable("the decorated object is not a function")
    _top_statement(file, definition)
    name = function.field("name").text()  # type: ignore[union-attr]
    if method == "context_processor":
        if call is not None:
            raise NotPortable("context_processor is called")
        line = _processor(file, function, name, rendered)
    else:
        if call is None:
            raise NotPortable(f"{method} without parentheses")
        positional, keywords = arguments(call)
        given = positional[0] if positional else keywords.get("name")
        if len(positional) > 1 or set(keywords) - {"name"} or (positional and keywords):
            raise NotPortable(f"{method} with other arguments than a name")
        try:
            key = literal(given) if given is not None else None
        except ValueError:
            raise NotPortable(f"the {method} name is not a literal") from None
        if key is not None and not isinstance(key, str):
            raise NotPortable(f"the {method} name is not a string")
        line = f"{TEMPLATES}.env.{_REGISTRIES[method]}[{json.dumps(key if key is not None else name)}] = {name}"
    file.delete_statement(decorator)
    file.append_line(definition, "\n\n" + line)  # after the function, which it names
    site.handled = True


def _processor(file: PortedFile, function: SgNode, name: str, rendered: set[str]) -> str:
    parameters = [p for p in function.field("parameters").named_children() if p.kind() != "comment"]  # type: ignore[union-attr]
    if parameters:
        raise NotPortable("the context processor takes parameters")
    if any(not s.handled for s in file.sites_in(function) if s.code != JINJA_ENVIRONMENT.code):
        raise NotPortable("the context processor uses what the port leaves to people (Flask's request context)")
    if function.find(kind="yield") is not None or function.find(kind="await") is not None:
        raise NotPortable("the context processor is a generator or a coroutine")
    keys: set[str] = set()
    returns = [r for r in function.find_all(kind="return_statement")]
    if not returns:
        raise NotPortable("the context processor returns nothing")
    for statement in returns:
        value = statement.named_children()[0] if statement.named_children() else None
        if value is None or value.kind() != "dictionary":
            raise NotPortable("the context processor returns something else than a dict display, whose keys the "
                              "port compares with the views'")
        for pair in value.named_children():
            try:
                key = literal(pair.field("key")) if pair.kind() == "pair" else None
            except ValueError:
                key = None
            if not isinstance(key, str):
                raise NotPortable("a key of the context processor's dict is not a literal string")
            keys.add(key)
    clash = keys & rendered if "**" not in rendered else keys
    if clash:
        raise NotPortable(f"a render_template of the module passes {sorted(clash)[0]} itself, where Flask's view "
                          "wins and Starlette's context processor would")
    return f"{TEMPLATES}.context_processors.append(lambda request: {name}())"


def _adder(file: PortedFile, site: Site, registry: str) -> None:
    call = call_of(site.node)
    statement = call.parent() if call is not None else None
    if call is None or statement is None or statement.kind() != "expression_statement":
        raise NotPortable("add_template_* is ported where it is a statement of its own")
    _top_statement(file, call)
    positional, keywords = arguments(call)
    if not positional or len(positional) > 2 or set(keywords) - {"name"} or (len(positional) == 2 and keywords):
        raise NotPortable("add_template_* with other arguments than a function and a name")
    if positional[0].kind() not in ("identifier", "attribute"):
        raise NotPortable("add_template_* of something else than a named function")
    function = file.rendered(positional[0])
    name = positional[1] if len(positional) == 2 else keywords.get("name")
    if name is None or name.kind() == "none":
        key = f"{function}.__name__"
    elif name.kind() == "string" and not any(c.kind() == "interpolation" for c in name.children()):
        key = file.rendered(name)
    else:
        key = f"{file.rendered(name)} or {function}.__name__"  # as Flask wrote it: `name or f.__name__`
    file.replace(statement, f"{TEMPLATES}.env.{registry}[{key}] = {function}")
    site.handled = True
