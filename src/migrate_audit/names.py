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

# Flask's own objects that extensions import into their top-level module, where projects import them
# from (`from flask_restful import request`), read from each package's `__init__` (Flask-RESTful 0.3.10,
# Flask-RESTX 1.3.2, Flask-HTTPAuth 4.8.1, Flask-Caching 2.5.1, Flask-Babel 4.0.0). Flask-RESTful's and
# Flask-RESTX's `abort` are their own, but wrap `flask.abort`: they raise the same Werkzeug HTTP exception.
_REEXPORTED = {
    **{f"flask_restful.{name}": f"flask.{name}" for name in ("request", "url_for", "current_app")},
    "flask_restful.MethodView": "flask.views.MethodView",
    "flask_restful.got_request_exception": "flask.got_request_exception",
    "flask_restful.abort": "flask.abort",
    "flask_restx.abort": "flask.abort",
    **{f"flask_httpauth.{name}": f"flask.{name}"
       for name in ("request", "make_response", "session", "g", "Response", "current_app")},
    **{f"flask_caching.{name}": f"flask.{name}"
       for name in ("current_app", "Flask", "g", "request", "Response", "url_for")},
    **{f"flask_babel.{name}": f"flask.{name}" for name in ("current_app", "g")},
}

_REEXPORTING = frozenset(qual.partition(".")[0] for qual in _REEXPORTED)

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

# Members of tracked instances that stand for a class: project subclasses of Flask-SQLAlchemy's
# `db.Model` resolve to it, so `Book.query` is the extension's query property in every module.
TRACKED_MEMBER_CLASSES = frozenset({"flask_sqlalchemy.SQLAlchemy().Model"})

# Public members of Flask's classes (Flask 3.1, class attributes plus those set in `__init__`). An
# attribute outside these on an app, Blueprint, view or request object is the project's own (a method of
# a project subclass, state stored on the app) and is no Flask API for the generic fallback to report.
_MEMBERS = {
    "flask.Flask()": """
        aborter aborter_class add_template_filter add_template_global add_template_test add_url_rule
        after_request after_request_funcs app_context app_ctx_globals_class async_to_sync
        auto_find_instance_path before_request before_request_funcs blueprints cli config config_class
        context_processor create_global_jinja_loader create_jinja_environment create_url_adapter debug
        default_config delete dispatch_request do_teardown_appcontext do_teardown_request endpoint
        ensure_sync error_handler_spec errorhandler extensions finalize_request full_dispatch_request get
        get_send_file_max_age handle_exception handle_http_exception handle_url_build_error
        handle_user_exception has_static_folder host_matching import_name inject_url_defaults instance_path
        iter_blueprints jinja_env jinja_environment jinja_loader jinja_options json json_provider_class
        log_exception logger make_aborter make_config make_default_options_response make_response
        make_shell_context name open_instance_resource open_resource patch permanent_session_lifetime post
        preprocess_request process_response put raise_routing_exception redirect register_blueprint
        register_error_handler request_class request_context response_class root_path route run
        secret_key select_jinja_autoescape send_static_file session_interface shell_context_processor
        shell_context_processors should_ignore_error static_folder static_url_path subdomain_matching
        teardown_appcontext teardown_appcontext_funcs teardown_request teardown_request_funcs
        template_context_processors template_filter template_folder template_global template_test
        test_cli_runner test_cli_runner_class test_client test_client_class test_request_context testing
        trap_http_exception update_template_context url_build_error_handlers url_default_functions
        url_defaults url_for url_map url_map_class url_rule_class url_value_preprocessor
        url_value_preprocessors view_functions wsgi_app
    """,
    "flask.Blueprint()": """
        add_app_template_filter add_app_template_global add_app_template_test add_url_rule
        after_app_request after_request app_context_processor app_errorhandler app_template_filter
        app_template_global app_template_test app_url_defaults app_url_value_preprocessor
        before_app_request before_request cli context_processor deferred_functions delete endpoint
        errorhandler get get_send_file_max_age has_static_folder import_name jinja_loader make_setup_state
        name open_resource patch post put record record_once register register_blueprint
        register_error_handler root_path route send_static_file static_folder static_url_path subdomain
        teardown_app_request teardown_request template_folder url_defaults url_prefix url_value_preprocessor
        url_values_defaults view_functions
    """,
    "flask.request": """
        accept_charsets accept_encodings accept_languages accept_mimetypes access_control_request_headers
        access_control_request_method access_route application args authorization base_url blueprint
        blueprints cache_control close content_encoding content_length content_md5 content_type cookies data
        date endpoint environ files form full_path get_data get_json headers host host_url if_match
        if_modified_since if_none_match if_range if_unmodified_since input_stream is_json is_multiprocess
        is_multithread is_run_once is_secure is_xhr json max_content_length max_form_memory_size
        max_form_parts max_forwards method mimetype mimetype_params on_json_loading_failed origin path pragma
        query_string range referrer remote_addr remote_user root_path root_url routing_exception scheme
        script_root server shallow stream trusted_hosts url url_root url_rule user_agent values view_args
    """,
    "flask.views.MethodView()": "as_view decorators dispatch_request init_every_request methods "
    "provide_automatic_options",
    "flask.views.View()": "as_view decorators dispatch_request init_every_request methods "
    "provide_automatic_options",
}
KNOWN_MEMBERS: dict[str, frozenset[str]] = {qual: frozenset(text.split()) for qual, text in _MEMBERS.items()}
# A Flask test client and a response it returned (testclients.py follows them through test code). Their
# members that change have rules (rules/testing.py); the others (`status_code`, `headers[...]`, `text`)
# are the same on httpx's, so none is an API without a rule.
TEST_CLIENT = "flask.testing.FlaskClient()"
TEST_RESPONSE = "werkzeug.test.TestResponse()"
KNOWN_MEMBERS[TEST_CLIENT] = KNOWN_MEMBERS[TEST_RESPONSE] = frozenset()
# WebTest's client around a Flask app, and an app or request context held in a name or attribute
# (`self.app_context = app.app_context()`): their members that change have rules, the others are none.
WEBTEST_CLIENT = "webtest.TestApp()"
APP_CONTEXT = "flask.ctx.AppContext()"
REQUEST_CONTEXT = "flask.ctx.RequestContext()"
KNOWN_MEMBERS[APP_CONTEXT] = KNOWN_MEMBERS[REQUEST_CONTEXT] = frozenset()
KNOWN_MEMBERS["flask.views.MethodView"] = KNOWN_MEMBERS["flask.views.MethodView()"]
KNOWN_MEMBERS["flask.views.View"] = KNOWN_MEMBERS["flask.views.View()"]

# Top-level modules that make a file worth parsing besides the extension catalogue's own modules;
# `flask_*` modules always count. gevent and eventlet are here for their monkey-patching (FMA723), webtest
# for its test client (rules/testing.py).
CORE_ROOTS = frozenset({"flask", "werkzeug", "quart", "blinker", "gevent", "eventlet", "webtest"})


# Classes imported by another name for one the rules follow: Flask-SQLAlchemy's `Model` is the class its
# `db.Model` is made from (`model_class`), with the same `query` property; a project base built on it
# (`class CRUDMixin(Model)`, then `SQLAlchemy(model_class=CRUDMixin)`) is a `db.Model`.
_SAME_CLASS = {
    "flask_sqlalchemy.Model": "flask_sqlalchemy.SQLAlchemy().Model",
    "flask_sqlalchemy.model.Model": "flask_sqlalchemy.SQLAlchemy().Model",
}


def canonical(qual: str) -> str:
    """The one spelling of a qual that rules are registered under."""
    if qual in _SAME_CLASS:
        return _SAME_CLASS[qual]
    if qual.startswith("flask.ext."):
        # Legacy `flask.ext.login` (removed in Flask 1.0) means `flask_login`.
        head, _, rest = qual[len("flask.ext."):].partition(".")
        qual = f"flask_{head}" + (f".{rest}" if rest else "")
    elif qual.startswith("flaskext."):
        # The old `flaskext` namespace package (`flaskext.sqlalchemy`) became `flask_sqlalchemy`.
        head, _, rest = qual[len("flaskext."):].partition(".")
        qual = f"flask_{head}" + (f".{rest}" if rest else "")
    for prefix, replacement in _CANONICAL_PREFIXES:
        if qual.startswith(prefix):
            return replacement + qual[len(prefix):]
    return qual


def reexported(qual: str) -> str:
    """What an imported name stands for: Flask's object for a name an extension re-exports
    (`flask_restful.request` -> `flask.request`), else `qual`. The import itself stays the extension's."""
    head, dot, rest = qual.partition(".")
    if dot and head in _REEXPORTING:
        name, dot, rest = rest.partition(".")
        flask_qual = _REEXPORTED.get(f"{head}.{name}")
        if flask_qual is not None:
            return flask_qual + dot + rest
    return qual


def root_module(qual: str) -> str:
    return qual.partition(".")[0].rstrip("()")


@functools.lru_cache(maxsize=None)
def interest_roots() -> frozenset[str]:
    from .ecosystem import MODULE_ROOTS  # the catalogue imports nothing from here; late import keeps it so

    return CORE_ROOTS | MODULE_ROOTS


def is_interesting_module(module: str) -> bool:
    root = module.partition(".")[0]
    return root.startswith("flask_") or root == "flaskext" or root in interest_roots()


def member(qual: str, attr: str) -> str:
    """The qual of `<qual>.<attr>`, looking through proxies such as `current_app`."""
    return f"{PROXY_TYPES.get(qual, qual)}.{attr}"


def display(qual: str) -> str:
    """A qual as users write it: `flask.Flask().route` -> `Flask.route`."""
    if "()" in qual:
        cls, _, rest = qual.partition("()")
        return cls.rpartition(".")[2] + rest
    return qual
