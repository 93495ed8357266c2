from datetime import datetime, timezone

import flask
from flask_login import current_user, login_required, login_user, logout_user

from ..models import User
from . import bp


def _safe_next(target):
    # Only allow relative redirects so ?next= cannot send people off-site.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return flask.url_for("catalog.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return flask.redirect(flask.url_for("catalog.index"))

    if flask.request.method == "POST":
        if flask.current_app.config["CSRF_ENABLED"]:
            if flask.request.form.get("csrf_token") != flask.session.get("_csrf_token"):
                flask.abort(400)

        email = flask.request.form["email"].strip().lower()
        password = flask.request.form.get("password", "")
        user = User.query.filter_by(email=email).first()
        if user is None or not user.check_password(password):
            flask.flash("Invalid email or password.", "error")
            return flask.render_template("auth/login.html", email=email), 401

        login_user(user, remember=flask.request.form.get("remember") == "on")
        flask.session["last_login"] = datetime.now(timezone.utc).isoformat(timespec="minutes")
        flask.flash(f"Welcome back, {user.display_name}!")
        return flask.redirect(_safe_next(flask.request.args.get("next")))

    return flask.render_template("auth/login.html")


@bp.route("/logout")
@login_required
def logout():
    logout_user()
    flask.session.pop("last_login", None)
    flask.flash("You have been signed out.", "info")
    return flask.redirect(flask.url_for("catalog.index"))


@bp.route("/me")
@login_required
def me():
    return flask.jsonify(
        id=current_user.id,
        email=current_user.email,
        display_name=current_user.display_name,
        is_admin=current_user.is_admin,
        last_login=flask.session.get("last_login"),
    )
