"""Facts about the Flask ecosystem's namespaces that name resolution needs.

Qualified names ("quals") are dotted paths such as `flask.request.args`. An *instance* of a class is
written with `()`: `flask.Flask()` is "a Flask application object", so `app.route` on
`app = Flask(__name__)` resolves to `flask.Flask().route`.
"""
from __future__ import annotations

import functools

# What `from flask import *` binds (flask/__init__.py's public names, Flask 2.x-3.x).
FLASK_PUBLIC_NAMES = frozenset(
    """
    Blueprint Config Flask Request Response abort after_this_request appcontext_popped
    appcontext_pushed appcontext_tearing_down before_render_template copy_current_request_context
    current_app escape flash g get_flashed_messages get_template_attribute got_request_exception
    has_app_context has_request_context json jsonify make_response message_flashed redirect
    render_template render_template_string request request_finished request_started
    request_tearing_down send_file send_from_directory session stream_template
    stream_template_string stream_with_context template_rendered url_for Markup
    """.split()
)

# Submodules whose public names Flask re-exports at the top level: resolve both spellings to one qual.
_CANONICAL_PREFIXES = (
    ("flask.globals.", "flask."),
    ("flask.helpers.", "flask."),
    ("flask.templating.", "flask."),
    ("flask.app.", "flask."),
    ("flask.blueprints.", "flask."),
    ("flask.wrappers.", "flask."),
    ("flask.signals.", "flask."),
    ("flask.ctx.", "flask."),
    ("flask.config.", "flask."),
    ("flask.sansio.app.", "flask."),
    ("flask.sansio.blueprints.", "flask."),
    ("flask.json.jsonify", "flask.jsonify"),
)

# Proxies that behave like an instance when their attributes are used.
PROXY_TYPES = {
    "flask.current_app": "flask.Flask()",
}

# Classes whose instances the rules follow through assignments (`app = Flask(__name__)`), and whose
# project subclasses stand for them (`class ApiBlueprint(Blueprint)`). Extension classes are added by
# the ecosystem catalogue.
FLASK_TRACKED_CLASSES = frozenset(
    {
        "flask.Flask",
        "flask.Blueprint",
        "flask.views.MethodView",
        "flask.views.View",
        "werkzeug.routing.BaseConverter",
        "celery.Celery",
        "rq.Queue",
        "quart.Quart",
        "quart.Blueprint",
    }
)

# Top-level modules that make a file worth parsing besides the extension catalogue's own modules;
# `flask_*` modules always count. gevent and eventlet are here for their monkey-patching (FMA723).
CORE_ROOTS = frozenset({"flask", "werkzeug", "quart", "gevent", "eventlet"})


def canonical(qual: str) -> str:
    """The one spelling of a qual that rules are registered under."""
    if qual.startswith("flask.ext."):
        # Legacy `flask.ext.login` (removed in Flask 1.0) means `flask_login`.
        head, _, rest = qual[len("flask.ext."):].partition(".")
        qual = f"flask_{head}" + (f".{rest}" if rest else "")
    for prefix, replacement in _CANONICAL_PREFIXES:
        if qual.startswith(prefix):
            return replacement + qual[len(prefix):]
    return qual


def root_module(qual: str) -> str:
    return qual.partition(".")[0].rstrip("()")


@functools.lru_cache(maxsize=None)
def interest_roots() -> frozenset[str]:
    from .ecosystem import BY_MODULE  # the catalogue imports nothing from here; late import keeps it so

    return CORE_ROOTS | frozenset(BY_MODULE)


def is_interesting_module(module: str) -> bool:
    root = module.partition(".")[0]
    return root.startswith("flask_") or root in interest_roots()


def member(qual: str, attr: str) -> str:
    """The qual of `<qual>.<attr>`, looking through proxies such as `current_app`."""
    return f"{PROXY_TYPES.get(qual, qual)}.{attr}"


def display(qual: str) -> str:
    """A qual as users write it: `flask.Flask().route` -> `Flask.route`."""
    if "()" in qual:
        cls, _, rest = qual.partition("()")
        return cls.rpartition(".")[2] + rest
    return qual
