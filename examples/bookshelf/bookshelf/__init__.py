import secrets
import time
import uuid

from flask import Flask, g, jsonify, render_template, request, session
from flask_cors import CORS
from flask_injector import FlaskInjector
from injector import Binder, singleton
from marshmallow import ValidationError
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import get_config
from .extensions import admin as admin_site
from .extensions import celery, db, login_manager, ma, migrate
from .services import PriceCalculator, format_price


def _csrf_token():
    if "_csrf_token" not in session:
        session["_csrf_token"] = secrets.token_urlsafe(32)
    return session["_csrf_token"]


def create_app(config_name=None):
    app = Flask(__name__, static_folder="static", template_folder="templates")
    app.config.from_object(get_config(config_name))
    app.config.from_envvar("BOOKSHELF_SETTINGS", silent=True)
    app.config.from_pyfile("local.cfg", silent=True)

    db.init_app(app)
    migrate.init_app(app, db)
    login_manager.init_app(app)
    # Only the JSON API is called cross-origin (the SPA on CORS_ORIGINS).
    cors = CORS(app, resources={r"/api/*": {"origins": app.config["CORS_ORIGINS"]}})
    ma.init_app(app)
    admin_site.init_app(app)

    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)

    from . import admin  # noqa: F401  registers the ModelViews
    from .api import bp as api_bp
    from .api.restx import partner_bp
    from .auth import bp as auth_bp
    from .catalog import bp as catalog_bp

    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(catalog_bp)
    app.register_blueprint(api_bp, url_prefix="/api")
    app.register_blueprint(partner_bp, url_prefix="/partner")

    # After the blueprint imports: importing bookshelf.tasks applies the env defaults.
    celery.conf.update(app.config["CELERY"])

    app.add_template_filter(format_price, name="price")
    app.jinja_env.globals["csrf_token"] = _csrf_token

    @app.before_request
    def start_request():
        g.request_started = time.perf_counter()
        g.request_id = request.headers.get("X-Request-ID") or uuid.uuid4().hex

    @app.after_request
    def add_timing_headers(response):
        elapsed_ms = (time.perf_counter() - g.request_started) * 1000
        response.headers["X-Response-Time"] = f"{elapsed_ms:.1f}ms"
        response.headers["X-Request-ID"] = g.request_id
        return response

    @app.errorhandler(404)
    def not_found(error):
        if request.path.startswith("/api/"):
            return jsonify(error="not found"), 404
        return render_template("errors/404.html"), 404

    @app.errorhandler(ValidationError)
    def validation_failed(error):
        return jsonify(error="validation failed", errors=error.messages), 422

    @app.teardown_appcontext
    def close_redis(exc):
        conn = g.pop("redis", None)
        if conn is not None:
            conn.close()

    def configure(binder: Binder):
        calculator = PriceCalculator(vat_rate=app.config["VAT_RATE"])
        binder.bind(PriceCalculator, to=calculator, scope=singleton)

    # Flask-Injector wraps every template global it finds typed, and Flask 3's url_for (`**values: Any`) then
    # raises "Injecting Any is not supported" on each render (python-injector/flask_injector#78, #82 for
    # get_flashed_messages). No template global here takes an injected argument: keep them as Flask made them.
    template_globals = dict(app.jinja_env.globals)
    FlaskInjector(app=app, modules=[configure])
    app.jinja_env.globals.update(template_globals)
    return app
