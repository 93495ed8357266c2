"""FMA4xx: request lifecycle hooks, error handlers and context globals."""
from __future__ import annotations

from typing import Iterator

from ..engine import Hit, Use
from ..registry import on_use, rule
from ._common import FASTAPI, STARLETTE, members

BEFORE_REQUEST = rule(
    "FMA401", "flask-before-request-hook", "before_request hook",
    "`{hook}` hook runs before each request",
    "`@app.middleware('http')` when it may answer early, otherwise a dependency in `FastAPI(dependencies=[...])` "
    "or `APIRouter(dependencies=[...])`",
    "mandatory", 3, "partial",
    rationale="A dependency cannot return a response early, it can only raise `HTTPException`; a hook that "
    "returns a response becomes middleware.",
    before="@bp.before_request\ndef require_login():\n    if not current_user.is_authenticated:\n"
    "        return redirect(url_for('auth.login'))\n",
    after="async def require_login(user=Depends(current_user_or_none)):\n    if user is None:\n"
    "        raise HTTPException(status_code=401)\n\nrouter = APIRouter(dependencies=[Depends(require_login)])\n",
    links=(f"{FASTAPI}/tutorial/middleware/", f"{FASTAPI}/tutorial/dependencies/global-dependencies/"),
)

AFTER_REQUEST = rule(
    "FMA402", "flask-after-request-hook", "after_request hook",
    "`{hook}` hook runs after each request",
    "`@app.middleware('http')` that awaits `call_next(request)` and edits the response (app-wide only)",
    "mandatory", 3, "partial",
    rationale="FastAPI has no router-scoped after-request hook; Blueprint-level hooks become app-wide "
    "middleware that checks the path.",
    before="@app.after_request\ndef add_header(response):\n    response.headers['X-Frame-Options'] = 'DENY'\n"
    "    return response\n",
    after="@app.middleware('http')\nasync def add_header(request: Request, call_next):\n"
    "    response = await call_next(request)\n    response.headers['X-Frame-Options'] = 'DENY'\n    return response\n",
    links=(f"{FASTAPI}/tutorial/middleware/",),
)

TEARDOWN = rule(
    "FMA403", "flask-teardown-hook", "teardown hook",
    "`{hook}` hook runs when the request or app context ends",
    "a dependency with `yield` (cleanup after the response), or a `finally` block in middleware",
    "mandatory", 3, "partial",
    before="@app.teardown_appcontext\ndef close_db(exc):\n    db.session.remove()\n",
    after="def get_db():\n    session = SessionLocal()\n    try:\n        yield session\n    finally:\n"
    "        session.close()\n",
    links=(f"{FASTAPI}/tutorial/dependencies/dependencies-with-yield/",),
)

BEFORE_FIRST_REQUEST = rule(
    "FMA404", "flask-before-first-request-hook", "before_first_request hook",
    "`{hook}` runs start-up code on the first request",
    "a `lifespan` async context manager passed to `FastAPI(lifespan=...)`",
    "mandatory", 1, "direct",
    rationale="`before_first_request` was removed in Flask 2.3; FastAPI runs start-up code in the lifespan "
    "handler (`on_event('startup')` is deprecated).",
    before="@app.before_first_request\ndef warm_cache(): ...\n",
    after="@asynccontextmanager\nasync def lifespan(app: FastAPI):\n    warm_cache()\n    yield\n\n"
    "app = FastAPI(lifespan=lifespan)\n",
    links=(f"{FASTAPI}/advanced/events/",),
)

_HOOKS = {
    BEFORE_REQUEST: ("before_request", "before_app_request"),
    AFTER_REQUEST: ("after_request", "after_app_request"),
    TEARDOWN: ("teardown_request", "teardown_appcontext", "teardown_app_request"),
    BEFORE_FIRST_REQUEST: ("before_first_request", "before_app_first_request"),
}


def _hook(use: Use) -> Iterator[Hit]:
    target = use.node.field("object")
    attr = use.qual.rpartition(".")[2]
    yield use.hit(hook=f"{target.text() if target is not None else 'app'}.{attr}")


for _rule, _attrs in _HOOKS.items():
    on_use(_rule, *members(*_attrs))(_hook)

ERROR_HANDLER = rule(
    "FMA405", "flask-error-handler", "Error handler registration",
    "`{call}` registers an error handler for {what}",
    "{fix}",
    "mandatory", 3, "partial",
    rationale="Handlers for HTTP status codes must be registered on Starlette's `HTTPException` (FastAPI's "
    "subclass misses the router's own 404 and 405); handlers for `Exception`/500 run in "
    "`ServerErrorMiddleware` and the exception is still raised.",
    before="@app.errorhandler(404)\ndef not_found(e):\n    return render_template('404.html'), 404\n",
    after="from starlette.exceptions import HTTPException as StarletteHTTPException\n\n"
    "@app.exception_handler(StarletteHTTPException)\nasync def http_error(request, exc):\n"
    "    if exc.status_code == 404:\n"
    "        return templates.TemplateResponse(request, '404.html', status_code=404)\n"
    "    return await http_exception_handler(request, exc)\n",
    links=(f"{FASTAPI}/tutorial/handling-errors/#install-custom-exception-handlers", f"{STARLETTE}/exceptions/"),
)

_BY_CODE = (
    "`@app.exception_handler(StarletteHTTPException)` and branch on `exc.status_code` "
    "(register Starlette's class to catch router 404/405)"
)
_BY_CLASS = "`@app.exception_handler(ExceptionClass)`"


@on_use(ERROR_HANDLER, *members("errorhandler", "app_errorhandler", "register_error_handler"))
def _error_handler(use: Use) -> Iterator[Hit]:
    if use.call is None:
        return
    positional, _ = use.arguments()
    first = positional[0] if positional else None
    target = use.node.field("object")
    call = f"{target.text() if target is not None else 'app'}.{use.qual.rpartition('.')[2]}"
    if first is not None and first.kind() == "integer":
        yield use.hit(call=call, what=f"status {first.text()}", fix=_BY_CODE)
    else:
        what = f"`{first.text()}`" if first is not None else "an exception"
        yield use.hit(call=call, what=what, fix=_BY_CLASS)
