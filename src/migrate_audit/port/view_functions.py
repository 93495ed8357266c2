"""What a view function declares that FastAPI reads otherwise than Flask: `async def`, its return annotation,
and the app's logger it writes to.

- An `async def` view that awaits nothing and blocks (FMA809): Flask ran each view to completion in its
  worker thread, so a blocking call held one request; FastAPI runs an `async def` on the event loop, where it
  holds every request. As a plain `def`, FastAPI runs it in its thread pool, as Flask did (the
  blocking-call-in-async-view proof).
- A Flask typing alias as the view's return annotation (`-> ResponseReturnValue`, FMA232): FastAPI reads a
  return annotation as the response model and fails to build one from it; without it, the view's value is
  encoded as Flask encoded it. The annotation goes.
- `app.logger` (FMA510) -> `getLogger(__name__)`: the logger Flask's is (`logging.getLogger(app.name)`, the
  import name); what Flask added to it, a stderr handler with its own format when none is configured, is said
  in a TODO.
"""
from __future__ import annotations

from ast_grep_py import SgNode

from .edits import NotPortable, PortedFile, Site, enclosing_function
from .routes import Route
from ..scopes import span

LOGGER_DIFFERS = ("Flask gave app.logger a stderr handler with its own format ([time] LEVEL in module: message) "
                  "when logging was not configured; configure logging (uvicorn's --log-config) to keep it.")


def port_blocking(file: PortedFile, site: Site, views: dict[int, Route]) -> None:
    function = enclosing_function(site.node)
    if function is None or span(function)[0] not in views:
        raise NotPortable("outside a ported view function")
    text = function.text()
    if not text.startswith("async def"):
        raise NotPortable("not an async def view")
    if _awaits(function):
        raise NotPortable("the view also awaits: run the blocking call with `await run_in_threadpool(...)`")
    key = ("unasync", span(function)[0])
    if key not in file.memo:  # once per view, however many blocking calls it makes
        file.memo[key] = True
        keyword = function.children()[0]
        if keyword.text() != "async":
            raise NotPortable("not an async def view")
        edit = keyword.replace("")
        edit.end_pos = span(keyword)[1] + 1  # with the space after it
        file._add(edit)
    site.handled = True


def _awaits(function: SgNode) -> bool:
    body = function.field("body")
    for node in body.find_all(kind="await") if body is not None else ():
        if enclosing_function(node) == function:
            return True
    for node in body.find_all(kind="for_statement") if body is not None else ():
        if node.text().startswith("async") and enclosing_function(node) == function:
            return True
    for node in body.find_all(kind="with_statement") if body is not None else ():
        if node.text().startswith("async") and enclosing_function(node) == function:
            return True
    return False


def port_alias(file: PortedFile, site: Site, views: dict[int, Route]) -> None:
    """`-> ResponseReturnValue` on a view goes; elsewhere the alias is left (it is only an annotation there)."""
    annotation = site.node
    while annotation.parent() is not None and annotation.parent().kind() not in ("function_definition", "module"):  # type: ignore[union-attr]
        if annotation.kind() == "type":
            break
        annotation = annotation.parent()  # type: ignore[assignment]
    function = annotation.parent()
    if function is None or function.kind() != "function_definition" or function.field("return_type") != annotation \
            or span(function)[0] not in views:
        raise NotPortable("not the return annotation of a ported view")
    parameters = function.field("parameters")
    edit = annotation.replace("")
    edit.start_pos = span(parameters)[1]  # type: ignore[arg-type]
    file._drop(edit.start_pos, edit.end_pos)
    file._add(edit)
    site.handled = True


def port_logger(file: PortedFile, site: Site, apps: set[str]) -> None:
    node = site.node
    if node.kind() != "attribute" or node.field("object").text() not in apps:  # type: ignore[union-attr]
        raise NotPortable("not the logger of this module's app")
    file.use("logging", "getLogger")
    file.replace(node, "getLogger(__name__)")
    site.handled = True
    if not file.memo.get(("logger", 0)):  # said once, above the first use
        file.memo[("logger", 0)] = True
        file.todo(site, LOGGER_DIFFERS)
