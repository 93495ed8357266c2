"""FMA4xx, part 2: per-request callbacks and signals (Flask's own and blinker namespaces)."""
from __future__ import annotations

from typing import Iterator

from ..api import Hit, Use
from ..registry import flag_uses, on_use, rule
from ._common import FASTAPI, FLASK, STARLETTE

AFTER_THIS_REQUEST = rule(
    "FMA412", "flask-after-this-request", "Callback registered with after_this_request",
    "`after_this_request` edits this request's response from inside the view",
    "declare `response: Response` in the path operation and edit it, or attach a `BackgroundTask` to the "
    "returned response",
    "mandatory", 3, "partial",
    rationale="FastAPI has no per-request response callbacks: headers and cookies are set on an injected "
    "`Response` parameter, and work after sending goes into `BackgroundTasks`. Starlette's `set_cookie` adds "
    "`SameSite=lax` unless given `samesite=None`.",
    before="@after_this_request\ndef remember(response):\n    response.set_cookie('lang', lang)\n"
    "    return response\n",
    after="def view(response: Response):\n    response.set_cookie('lang', lang)\n",
    links=(f"{FASTAPI}/advanced/response-cookies/", f"{FASTAPI}/tutorial/background-tasks/"),
)
flag_uses(AFTER_THIS_REQUEST, "flask.after_this_request")

_FLASK_SIGNALS = (
    "request_started", "request_finished", "request_tearing_down", "got_request_exception",
    "template_rendered", "before_render_template", "message_flashed", "appcontext_pushed",
    "appcontext_popped", "appcontext_tearing_down",
)

FLASK_SIGNAL = rule(
    "FMA413", "flask-builtin-signal", "Flask built-in signal",
    "`{name}` is a Flask signal that FastAPI never sends",
    "no equivalent: move the receiver into middleware (request started/finished, exceptions), a dependency "
    "with `yield`, or the code that renders or flashes",
    "mandatory", 5, "none",
    rationale="Blinker keeps working as a library, but nothing in FastAPI or Starlette emits Flask's "
    "lifecycle signals: receivers connected to them silently stop running after the port.",
    before="@request_finished.connect_via(app)\ndef log_response(sender, response, **extra):\n"
    "    log.info(response.status)\n",
    after="@app.middleware('http')\nasync def log_response(request: Request, call_next):\n"
    "    response = await call_next(request)\n    log.info(response.status_code)\n    return response\n",
    links=(f"{FLASK}/signals/", f"{FASTAPI}/tutorial/middleware/"),
)
flag_uses(FLASK_SIGNAL, args={f"flask.{module}{name}": {"name": name}
                              for name in _FLASK_SIGNALS for module in ("", "signals.")})

CUSTOM_SIGNAL = rule(
    "FMA414", "flask-custom-signal-namespace", "Custom blinker signals",
    "`{name}` defines the application's own signals",
    "keep blinker as a plain library: the project sends these signals itself",
    "information", 0, "keep",
    rationale="Signals the application defines and sends itself keep working; only Flask's own signals "
    "(FMA413) stop firing. Receivers that read `request` or `g` still need their context passed in.",
    before="signals = Namespace()\nbook_added = signals.signal('book-added')\n",
    after="signals = Namespace()  # unchanged\nbook_added = signals.signal('book-added')\n",
    links=("https://blinker.readthedocs.io/en/stable/", f"{STARLETTE}/"),
    default_enabled=False,
)


@on_use(CUSTOM_SIGNAL, "flask.signals.Namespace", "flask.Namespace", "blinker.Namespace", "blinker.signal",
        "blinker.base.Namespace")
def _custom_signal(use: Use) -> Iterator[Hit]:
    if use.call is not None and use.ctx.uses_flask:
        yield use.hit(use.call, name=use.qual.rpartition(".")[2] + "()")
