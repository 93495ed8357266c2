"""One file through the port: every finding of the audit in it either rewritten or marked with a TODO.

The order matters only where rewrites nest: reads of the query string and `jsonify` calls (inside
returns) first, then the returns and statements around them, then the decorators and signatures, which
nothing encloses. A site the port cannot rewrite faithfully keeps its code and gets the audit's advice as
a `# TODO(migrate-audit FMAxxx): ...` comment, with the reason it was not ported.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ast_grep_py import SgNode

from ..api import returns_of
from ..scopes import span
from . import requests, responses, routes, templates
from .edits import PortedFile, Site
from .imports import fix_imports
from .routes import BlueprintInfo, NotPortable

Resolver = Callable[[PortedFile, str], "BlueprintInfo | None"]
# What each handler rewrites, in the order they run.
_EXPRESSIONS: tuple[tuple[str, Callable[[PortedFile, Site], None]], ...] = (
    ("FMA220", responses.port_jsonify),
    ("FMA801", responses.port_tuple),
    ("FMA224", responses.port_abort),
    ("FMA223", responses.port_redirect),
)


def _attempt(file: PortedFile, site: Site, action: Callable[[], object]) -> None:
    try:
        action()
    except NotPortable as reason:
        file.todo(site, f"{site.advice} (not ported: {reason})")


@dataclass(frozen=True)
class Facts:
    """What a file's rewrites need to know of the project: its folder on disk, the Flask app's folder (where
    Flask finds templates/), and the paths the audit has findings in (templates included)."""

    root: Path | None = None
    app_folder: str | None = None
    flagged: frozenset[str] = frozenset()


def port_file(file: PortedFile, resolve: Resolver,
              removed: Callable[[PortedFile, Site, SgNode, str, BlueprintInfo, str], None] | None = None,
              facts: Facts = Facts()) -> str:
    """The file's new text. `resolve` finds the Blueprint a name stands for (a route's owner, a registration's
    argument); `removed`, when given, takes registrations out of the file instead (the ported
    Blueprint is included by main.py, the app stays Flask)."""
    found: list[routes.Route] = []
    for site in file.sites_of("FMA102"):
        _attempt(file, site, lambda site=site: found.append(routes.read_route(file, site, resolve)))
    views = {span(route.function)[0]: route for route in found}
    for site in file.sites:
        if site.code in requests.SOURCES:
            _attempt(file, site, lambda site=site: requests.port_field(file, site, views))
    for site in file.sites_of("FMA204"):
        _attempt(file, site, lambda site=site: requests.port_body(file, site, views))
    for code, handler in _EXPRESSIONS:
        for site in file.sites_of(code):
            _attempt(file, site, lambda site=site, handler=handler: handler(file, site))  # type: ignore[misc]
    for site in file.sites_of("FMA106"):
        _attempt(file, site, lambda site=site: routes.port_blueprint(file, site, routes.blueprint_info(file, site)))
    for site in file.sites_of("FMA222"):
        _attempt(file, site, lambda site=site: templates.port_render(file, site, views, facts.app_folder,
                                                                   set(facts.flagged)))
    static = facts.root is not None and (facts.root / file.path).parent.joinpath("static").is_dir()
    for site in file.sites_of("FMA101"):
        _attempt(file, site, lambda site=site: routes.port_application(
            file, site, lambda: templates.mount_static(file, site, static)))
    for route in found:
        returns = list(returns_of(route.function))
        html = "HTMLResponse" if responses.html_view(file, route.function, returns) else None
        routes.port_route(file, route, html)
    for site in file.sites_of("FMA107"):
        _attempt(file, site, lambda site=site: _register(file, site, resolve, removed))
    routes.render_signature(file)
    for site in file.sites:
        if not site.handled:
            file.todo(site)
    return fix_imports(file.commit(), file.imports, file.definitions)


def _register(file: PortedFile, site: Site, resolve: Resolver, removed) -> None:  # type: ignore[no-untyped-def]
    call, app, info, prefix = routes.registration(file, site, resolve)
    if removed is not None:
        removed(file, site, call, app, info, prefix)
        return
    file.replace(call, routes.include_text(app, call.field("arguments").named_children()[0].text(), prefix))  # type: ignore[union-attr]
    site.handled = True
