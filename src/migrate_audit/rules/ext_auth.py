"""FMA345-350: authentication extensions per feature (Flask-Login, Flask-JWT-Extended, Flask-HTTPAuth,
Flask-Principal / Flask-Security), attributed wherever their objects are used."""
from __future__ import annotations

from ..registry import flag_uses, rule
from ._common import FASTAPI

LOGIN = rule(
    "FMA345", "flask-login-api", "Flask-Login (or Flask-Security) authentication",
    "`{name}` is {what}",
    "{fix}",
    "mandatory", 1, "partial",
    rationale="Flask-Login keeps the user id in Flask's session and exposes the user through a context-local "
    "proxy. FastAPI resolves the user in a dependency (`Depends(get_current_user)`) from a session cookie or "
    "token, and views declare it as a parameter. Flask-Security re-exports Flask-Login's API and adds "
    "decorators that authenticate by session, token or HTTP Basic: each is such a dependency too (its role and "
    "permission checks are FMA350).",
    before="@bp.route('/account')\n@login_required\ndef account():\n    return {'name': current_user.name}\n",
    after="@router.get('/account')\ndef account(user: Annotated[User, Depends(get_current_user)]):\n"
    "    return {'name': user.name}\n",
    links=(f"{FASTAPI}/tutorial/security/get-current-user/", f"{FASTAPI}/tutorial/dependencies/"),
    extension="Flask-Login",
)
_LOGIN_FIXES = {
    "login_required": "a `Depends(get_current_user)` parameter or `dependencies=[Depends(require_user)]`",
    "current_user": "a `user: Annotated[User, Depends(get_current_user)]` parameter",
    "login_user": "write the user id into `request.session` (or issue a token) in the login endpoint",
    "logout_user": "clear `request.session` (or revoke the token)",
    "UserMixin": "plain attributes on the user model (`is_active`...) checked in the dependency",
    "user_loaded_from_request": "no signal: do the work in the dependency",
    "user_logged_in": "no signal: do the work in the login endpoint",
    "user_logged_out": "no signal: do the work in the logout endpoint",
}
_MANAGER = "flask_login.LoginManager()"
_MANAGER_FIXES = {
    "user_loader": "the `get_current_user` dependency that loads the user",
    "request_loader": "the `get_current_user` dependency reading the header or token",
    "unauthorized_handler": "an exception handler for the 401 the dependency raises",
    "login_view": "a redirect in the 401 handler for HTML clients",
}
_FLASK_LOGIN = "Flask-Login's session-based authentication"
# Flask-Security's authentication (not authorisation) API: Flask-Login's names re-exported, and decorators
# that accept a session, a token or HTTP Basic credentials.
_SECURITY_AUTH_FIXES = {
    **{n: _LOGIN_FIXES[n] for n in ("login_required", "current_user", "login_user", "logout_user")},
    "auth_required": "a dependency that accepts the session cookie, a token (`HTTPBearer`/`APIKeyHeader`) or "
    "`HTTPBasic` credentials, as the decorator's arguments list",
    "auth_token_required": "an `APIKeyHeader` or `HTTPBearer` dependency that loads the user from the token",
    "http_auth_required": "an `HTTPBasic` dependency that checks the credentials",
    "anonymous_user_required": "a dependency that raises (or redirects) when a user is logged in",
}
flag_uses(LOGIN, args={
    **{f"flask_login.{n}": {"name": n, "fix": f, "what": _FLASK_LOGIN} for n, f in _LOGIN_FIXES.items()},
    **{f"{_MANAGER}.{n}": {"name": f"login_manager.{n}", "fix": f, "what": _FLASK_LOGIN}
       for n, f in _MANAGER_FIXES.items()},
    **{f"flask_security.{n}": {"name": n, "fix": f, "what": "Flask-Security's authentication (Flask-Login's API)"}
       for n, f in _SECURITY_AUTH_FIXES.items()},
})

FRESH_LOGIN = rule(
    "FMA346", "flask-login-fresh-login", "Flask-Login fresh login and anonymous user",
    "`{name}` has no FastAPI counterpart",
    "an optional-user dependency that returns `None` for the anonymous user; for fresh login, record the login time "
    "in the session or token at login and check it in a `require_fresh` dependency",
    "mandatory", 3, "partial",
    rationale="`AnonymousUserMixin` and `@fresh_login_required` are Flask-Login objects, but what they do is a few "
    "lines of dependency: the user dependency answers `None` when nobody is logged in, and a second one refuses "
    "(401) users who did not log in with a password recently (Flask-Login's request loaders and remember-me cookies "
    "never make a fresh login).",
    before="@fresh_login_required\ndef change_password(): ...\n",
    after="def require_fresh(user=Depends(get_current_user), session=Depends(get_session)):\n"
    "    if time.time() - session['login_at'] > 600:\n        raise HTTPException(status_code=401)\n",
    links=(f"{FASTAPI}/tutorial/security/get-current-user/",),
    extension="Flask-Login",
)
flag_uses(FRESH_LOGIN, args={
    **{f"flask_login.{n}": {"name": n} for n in ("fresh_login_required", "login_fresh", "confirm_login",
                                                   "AnonymousUserMixin")},
    **{f"{_MANAGER}.{n}": {"name": f"login_manager.{n}"} for n in ("needs_refresh_handler", "refresh_view",
                                                                  "anonymous_user")},
})

JWT = rule(
    "FMA347", "flask-jwt-extended-api", "Flask-JWT-Extended tokens and decorators",
    "`{name}` is Flask-JWT-Extended's token API",
    "AuthX (`auth.access_token_required` dependency, `create_access_token`), or PyJWT with an "
    "`HTTPBearer` / `OAuth2PasswordBearer` dependency",
    "mandatory", 1, "partial",
    rationale="Flask-JWT-Extended reads the token inside Flask's request context and exposes the identity "
    "through context-local helpers; in FastAPI the token is checked by a dependency that returns the claims. "
    "Existing tokens stay valid when the secret, algorithm and `sub` claim are kept. Keep the `type` check "
    "too: `@jwt_required()` refuses refresh tokens, a bare `jwt.decode` accepts them as access tokens.",
    before="@bp.route('/me')\n@jwt_required()\ndef me():\n    return {'id': get_jwt_identity()}\n",
    after="@router.get('/me')\ndef me(claims: Annotated[dict, Depends(verify_token)]):\n"
    "    return {'id': claims['sub']}\n",
    links=(f"{FASTAPI}/tutorial/security/oauth2-jwt/",),
    extension="Flask-JWT-Extended",
)
_JWT_NAMES = ("jwt_required", "get_jwt_identity", "get_jwt", "create_access_token", "create_refresh_token",
              "verify_jwt_in_request", "current_user", "get_current_user", "set_access_cookies",
              "set_refresh_cookies", "unset_jwt_cookies", "decode_token", "jwt_optional", "jwt_refresh_token_required",
              "fresh_jwt_required")
_JWT_MANAGER = ("user_lookup_loader", "user_identity_loader", "token_in_blocklist_loader",
                "additional_claims_loader", "expired_token_loader", "invalid_token_loader",
                "unauthorized_loader")
flag_uses(JWT, args={
    **{f"flask_jwt_extended.{n}": {"name": n} for n in _JWT_NAMES},
    **{f"flask_jwt_extended.JWTManager().{n}": {"name": f"jwt.{n}"} for n in _JWT_MANAGER},
})

HTTPAUTH = rule(
    "FMA348", "flask-httpauth-decorators", "Flask-HTTPAuth verification callbacks",
    "`{name}` is Flask-HTTPAuth's authentication callback",
    "`fastapi.security.HTTPBasic()` / `HTTPBearer()` dependencies that verify the credentials and return the "
    "user",
    "mandatory", 1, "direct",
    rationale="Flask-HTTPAuth's verify callbacks and `login_required` map one to one to FastAPI security "
    "dependencies; roles become a dependency that checks the user or Security scopes. `HTTPBasic` only "
    "challenges a missing header: on a wrong password the dependency must raise the 401 with "
    "`WWW-Authenticate` itself, as Flask-HTTPAuth did, or browsers stop asking.",
    before="@auth.verify_password\ndef verify(username, password): ...\n\n@app.route('/')\n@auth.login_required\n"
    "def index(): ...\n",
    after="security = HTTPBasic()\n\ndef verify(credentials: Annotated[HTTPBasicCredentials, Depends(security)]):"
    "\n    ...\n\n@app.get('/')\ndef index(user=Depends(verify)): ...\n",
    links=(f"{FASTAPI}/advanced/security/http-basic-auth/",),
    extension="Flask-HTTPAuth",
)
_AUTH_OBJECTS = ("flask_httpauth.HTTPBasicAuth()", "flask_httpauth.HTTPTokenAuth()", "flask_httpauth.MultiAuth()")
flag_uses(HTTPAUTH, args={
    f"{obj}.{n}": {"name": f"auth.{n}"} for obj in _AUTH_OBJECTS
    for n in ("login_required", "verify_password", "verify_token", "get_user_roles", "error_handler",
              "current_user", "hash_password")
})

DIGEST = rule(
    "FMA349", "flask-httpauth-digest", "HTTP Digest authentication",
    "`{name}` implements HTTP Digest authentication",
    "no equivalent: FastAPI's security utilities cover Basic, Bearer, API keys and OAuth2; move clients to "
    "one of those or write the Digest challenge by hand",
    "mandatory", 5, "none",
    rationale="Digest authentication (server nonces, `WWW-Authenticate: Digest` challenges, `qop`, the response "
    "hash) has no implementation in FastAPI, Starlette or a maintained library: `fastapi.security.HTTPDigest` only "
    "hands over the `Authorization: Digest ...` header as opaque credentials. The challenge and the hash check are "
    "written by hand, or the clients move to Basic over HTTPS, Bearer or API keys.",
    before="auth = HTTPDigestAuth()\n",
    after="security = HTTPBasic()  # over HTTPS, after migrating the clients\n",
    links=(f"{FASTAPI}/advanced/security/http-basic-auth/",),
    extension="Flask-HTTPAuth",
)
flag_uses(DIGEST, args={"flask_httpauth.HTTPDigestAuth": {"name": "HTTPDigestAuth"}})

PRINCIPAL = rule(
    "FMA350", "flask-principal-permissions", "Flask-Principal / Flask-Security permissions",
    "`{name}` is part of the identity, need and permission model",
    "a dependency that resolves the user's roles and one that raises `HTTPException(403)` without the role; Security "
    "scopes (`Security(get_user, scopes=[...])`), or pycasbin for policy models",
    "mandatory", 3, "partial",
    rationale="Flask-Principal's identities, needs and permissions (and Flask-Security's decorators built on them) "
    "are loaded per request through signals; in FastAPI each permission check becomes a dependency on the path "
    "operation or router, with the same 403.",
    before="admin_permission = Permission(RoleNeed('admin'))\n\n@admin_permission.require(http_exception=403)\n"
    "def admin(): ...\n",
    after="def require_admin(user=Depends(get_current_user)):\n    if 'admin' not in user.roles:\n"
    "        raise HTTPException(status_code=403)\n",
    links=(f"{FASTAPI}/tutorial/dependencies/dependencies-in-path-operation-decorators/",
           f"{FASTAPI}/advanced/security/oauth2-scopes/"),
    extension="Flask-Principal",
)
_PRINCIPAL = ("Permission", "RoleNeed", "UserNeed", "ItemNeed", "TypeNeed", "ActionNeed", "Need", "Identity",
              "AnonymousIdentity", "identity_loaded", "identity_changed", "Principal")
# Flask-Security's authorisation API; its authentication API is FMA345.
_SECURITY = ("roles_required", "roles_accepted", "permissions_required", "permissions_accepted")
flag_uses(PRINCIPAL, args={
    **{f"flask_principal.{n}": {"name": n} for n in _PRINCIPAL},
    **{f"flask_security.{n}": {"name": n} for n in _SECURITY},
})
