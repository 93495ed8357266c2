"""URL building: `url_for(endpoint, **values)` in a converted view, for a route of the same file.

Flask's `url_for` gives the path; `request.app.url_path_for(name, ...)` gives the same path for the route
the port named after the endpoint (`name="books.detail"`). With `_external=True` Flask gives the absolute
URL, as `str(request.url_for(...))` does (the url-for proof). Flask puts values that are not path
parameters in the query string, which Starlette refuses: such calls, endpoints in other files and the
other underscore options are left to people.
"""
from __future__ import annotations

import json

from .edits import NotPortable, PortedFile, Site, enclosing_function, literal
from .requests import starlette_request
from .routes import BlueprintInfo, Views, arguments, call_of

OPTIONS = {"_external"}


def port_url_for(file: PortedFile, site: Site, views: Views, blueprint: BlueprintInfo | None) -> None:
    """`blueprint` is the one the view's route is on, for `.name` endpoints."""
    call = call_of(site.node)
    function = enclosing_function(call) if call is not None else None
    if call is None or function is None or function.range().start.index not in views:
        raise NotPortable("outside a converted view function")
    positional, keywords = arguments(call)
    try:
        endpoint = literal(positional[0]) if len(positional) == 1 else None
        external = literal(keywords.pop("_external")) if "_external" in keywords else False
    except ValueError:
        raise NotPortable("the endpoint or _external is not a literal") from None
    if not isinstance(endpoint, str) or set(k for k in keywords if k.startswith("_")) - OPTIONS:
        raise NotPortable("the endpoint is not a literal, or _anchor/_method/_scheme are used")
    if endpoint.startswith("."):
        if blueprint is None:
            raise NotPortable("a .endpoint outside a Blueprint")
        endpoint = blueprint.name + endpoint
    target = views.by_endpoint().get(endpoint)
    if target is None:
        raise NotPortable(f"{endpoint} is not a converted route of this file")
    if set(keywords) != set(target.types):
        raise NotPortable("values that are not the route's path parameters go to the query string in Flask, "
                          "and Starlette refuses them")
    starlette_request(file, function)
    values = "".join(f", {key}={file.rendered(value)}" for key, value in keywords.items())
    text = (f"str(request.url_for({json.dumps(endpoint)}{values}))" if external
            else f"request.app.url_path_for({json.dumps(endpoint)}{values})")
    file.replace(call, text)
    site.handled = True

