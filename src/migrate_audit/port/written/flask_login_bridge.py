"""Flask-Login (0.6.3) for the ported FastAPI app, over Flask's own session cookie: written by `migrate-audit port`.

The names a Flask-Login module imports, with Flask-Login's behaviour: `LoginManager` (user_loader,
request_loader, unauthorized_handler, needs_refresh_handler, login_view, the login and refresh messages,
session protection), `current_user`, `login_user`, `logout_user`, `login_required`, `fresh_login_required`,
`login_fresh`, `confirm_login`, `UserMixin` and `AnonymousUserMixin`. The user id is kept under the session
keys Flask-Login uses (`_user_id`, `_fresh`, `_id`, `_remember`) in Flask's session cookie, which
flask_cookie_session.py reads and writes as Flask does: one login spans the Flask routes and the FastAPI ones
while both serve, and nobody is logged out at the cutover. The remember-me cookie (`remember_token`) is read and
written as Flask-Login does, signed with the app's secret key (the one the session middleware is given).

How Flask's request context is replaced: `LoginManager(app)` adds `LoginContextMiddleware`, inside the session
middleware, which keeps the request being served in a context variable (the thread pool FastAPI runs sync
views in and asyncio tasks inherit it), so `current_user` answers, as Flask's proxy does, for that request
only, loading the user once per request; and which, as Flask-Login's after_request hook does, sets or clears
the remember cookie before the session is saved. `login_required` keeps the view's signature
(`functools.wraps`: FastAPI reads the view's parameters through `__wrapped__`) and is a coroutine function
exactly when the view is one, as FastAPI expects.

Not here (the port keeps Flask-Login where a module uses them): header_loader, blueprint login views,
localize_callback, the signals, `current_app.login_manager` other than for `current_login_manager().unauthorized()`
/ `.needs_refresh()` (the port rewrites those calls), Flask-Login's config keys (LOGIN_DISABLED,
REMEMBER_COOKIE_*, SESSION_PROTECTION, USE_SESSION_FOR_NEXT...) set anywhere but in the config mapping the
session middleware is given. Known difference: where Flask-Login aborts with 401 (no login_view, no handler),
FastAPI's HTTPException answers 401 with JSON `{"detail": "Unauthorized"}`, not Werkzeug's HTML page.
"""

from __future__ import annotations

import codecs
import functools
import hmac
import inspect
import re
from contextvars import ContextVar
from datetime import datetime, timedelta, timezone
from hashlib import sha512
from typing import Any, Callable
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit, urlunsplit

from fastapi import HTTPException
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.datastructures import MutableHeaders
from starlette.requests import Request

from flask_cookie_session import dump_cookie, flash

COOKIE_NAME = "remember_token"
COOKIE_DURATION = timedelta(days=365)
LOGIN_MESSAGE = "Please log in to access this page."
REFRESH_MESSAGE = "Please reauthenticate to access this page."
SESSION_KEYS = {"_user_id", "_remember", "_remember_seconds", "_id", "_fresh", "next"}
EXEMPT_METHODS = {"OPTIONS"}
_UNSET = object()


class UserMixin:
    """flask_login.UserMixin: the default user properties and `get_id()` from `self.id`."""

    __hash__ = object.__hash__

    @property
    def is_active(self) -> bool:
        return True

    @property
    def is_authenticated(self) -> bool:
        return self.is_active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        try:
            return str(self.id)  # type: ignore[attr-defined]
        except AttributeError:
            raise NotImplementedError("No `id` attribute - override `get_id`") from None

    def __eq__(self, other: object) -> bool:
        if isinstance(other, UserMixin):
            return self.get_id() == other.get_id()
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        if equal is NotImplemented:
            return equal
        return not equal


class AnonymousUserMixin:
    """flask_login.AnonymousUserMixin: the user nobody logged in as."""

    @property
    def is_authenticated(self) -> bool:
        return False

    @property
    def is_active(self) -> bool:
        return False

    @property
    def is_anonymous(self) -> bool:
        return True

    def get_id(self) -> None:
        return None


# The request being served and its user (loaded once), as Flask keeps them in its request context and `g`.
class _Context:
    def __init__(self, request: Request, manager: LoginManager) -> None:
        self.request = request
        self.manager = manager
        self.user: Any = _UNSET
        self.loaded_in: Any = None  # what the user was loaded in (FlaskAppLoginManager: a Flask app context)


_CONTEXT: ContextVar[_Context | None] = ContextVar("flask_login_bridge", default=None)


def _context() -> _Context:
    found = _CONTEXT.get()
    if found is None:
        raise RuntimeError("Working outside of request context.")
    return found


def _session_settings(request: Request) -> tuple[Any, Any]:
    """The secret key and config the session middleware was given (Flask's app.secret_key and config)."""
    for middleware in getattr(request.app, "user_middleware", ()):
        if getattr(middleware.cls, "__name__", "") == "FlaskSessionMiddleware":
            config = middleware.kwargs.get("config") or {}
            key = middleware.kwargs.get("secret_key")
            return (key if key is not None else config.get("SECRET_KEY")), config
    return None, {}


def _config(request: Request) -> Any:
    return _session_settings(request)[1]


def _secret_key(request: Request) -> bytes:
    key = _session_settings(request)[0]
    if key is None:
        raise KeyError("SECRET_KEY")
    return key.encode("latin1") if isinstance(key, str) else key


def _cookie_digest(request: Request, payload: str) -> str:
    return hmac.new(_secret_key(request), payload.encode("utf-8"), sha512).hexdigest()


def encode_cookie(request: Request, payload: str) -> str:
    return f"{payload}|{_cookie_digest(request, payload)}"


def decode_cookie(request: Request, cookie: str) -> str | None:
    try:
        payload, digest = cookie.rsplit("|", 1)
    except ValueError:
        return None
    if hmac.compare_digest(_cookie_digest(request, payload), digest):
        return payload
    return None


def _wsgi_header(request: Request, name: str) -> str | None:
    """A header as the WSGI environ has it (Werkzeug's request.headers): sent several times, its values joined
    with "," (as a2wsgi and WSGI servers join them), where Starlette's `.get` gives the first."""
    values = request.headers.getlist(name)
    return ",".join(values) if values else None


def _remote_addr(request: Request) -> bytes | None:
    address = _wsgi_header(request, "X-Forwarded-For")
    if address is None:
        address = request.client.host if request.client else None
    if address is not None:
        return address.encode("utf-8").split(b",")[0].strip()
    return None


def _create_identifier(request: Request) -> str:
    """Flask-Login's session identifier: sha512 of `b'addr'|b'agent'` (the bytes' reprs, as Flask-Login's f-string)."""
    user_agent = _wsgi_header(request, "User-Agent")
    agent = user_agent.encode("utf-8") if user_agent is not None else None
    return sha512(f"{_remote_addr(request)}|{agent}".encode("utf8")).hexdigest()


def _url_for(request: Request, name: str) -> str:
    """flask.url_for(name) inside a request: the path below the app's root, without scheme and host."""
    return urlsplit(str(request.url_for(name))).path


def _url_quote_error(error: UnicodeError) -> tuple[str, int]:
    """Werkzeug's "werkzeug.url_quote" codec error handler: bytes that are not UTF-8 stay percent-quoted."""
    return quote(error.object[error.start : error.end], safe=""), error.end  # type: ignore[attr-defined]


codecs.register_error("flask_login_bridge.url_quote", _url_quote_error)


def _unquote_part(value: str, unsafe: str) -> str:
    """Werkzeug's uri_to_iri for one part of a URL (werkzeug/urls.py, 3.1): its percent-escapes decoded as UTF-8,
    except runs of those of `unsafe` (controls, space, "%" and the part's delimiters)."""
    choices = "|".join(f"{ord(c):02X}" for c in sorted(unsafe))
    parts = iter(re.split(f"((?:%(?:{choices}))+)", value, flags=re.I))
    out = []
    for part in parts:
        out.append(unquote(part, "utf-8", "flask_login_bridge.url_quote"))
        out.append(next(parts, ""))
    return "".join(out)


_ALWAYS_UNSAFE = bytes((*range(0x21), 0x25, 0x7F)).decode()


def _flask_request_url(request: Request) -> str:
    """Werkzeug's `request.url` (get_current_url), of which Flask-Login makes `next=`: its path and query string
    quoted, then read back as an IRI (a query string's `%C3%A9` is `é` there, which Starlette's URL keeps quoted).
    The scheme and host are Starlette's (the host differs only for an IDNA or invalid one, which matters only
    where the login view is an absolute URL on another host)."""
    scope = request.scope
    root, path = scope.get("root_path", ""), scope["path"]
    path = path[len(root) :] if path.startswith(root) else path
    url = quote(root.rstrip("/"), safe="!$&'()*+,/:;=@%") + "/"
    url += quote(path.lstrip("/"), safe="!$&'()*+,/:;=@%")
    query = scope.get("query_string", b"")
    query_text = quote(query, safe="!$&'()*+,/:;=?@%") if query else ""
    return urlunsplit(
        (
            request.url.scheme,
            request.url.netloc,
            _unquote_part(url, _ALWAYS_UNSAFE + "/?#"),
            _unquote_part(query_text, _ALWAYS_UNSAFE + "&=+#"),
            "",
        )
    )


def make_next_param(login_url: str, current_url: str) -> str:
    l_url, c_url = urlsplit(login_url), urlsplit(current_url)
    if (not l_url.scheme or l_url.scheme == c_url.scheme) and (
        not l_url.netloc or l_url.netloc == c_url.netloc
    ):
        return urlunsplit(("", "", c_url.path, c_url.query, ""))
    return current_url


def expand_login_view(request: Request, login_view: str) -> str:
    if login_view.startswith(("https://", "http://", "/")):
        return login_view
    context = _CONTEXT.get()
    if context is not None:
        return context.manager._view_url(request, login_view)
    return _url_for(request, login_view)


def login_url(
    request: Request,
    login_view: str,
    next_url: str | None = None,
    next_field: str = "next",
) -> str:
    base = expand_login_view(request, login_view)
    if next_url is None:
        return base
    parsed = urlsplit(base)
    query = parse_qs(parsed.query, keep_blank_values=True)
    query[next_field] = make_next_param(base, next_url)  # type: ignore[assignment]
    netloc = _config(request).get("FORCE_HOST_FOR_REDIRECTS") or parsed.netloc
    return urlunsplit(
        parsed._replace(netloc=netloc, query=urlencode(query, doseq=True))
    )


def _werkzeug_redirect(location: str) -> HTMLResponse:
    """Flask's `redirect(location)`, which Flask-Login answers with: Werkzeug's page linking to the location, as
    text/html, and the Location header as Werkzeug sends it (an IRI made a URI)."""
    shown = location.replace("&", "&amp;").replace(">", "&gt;")
    shown = shown.replace("<", "&lt;").replace("'", "&#39;").replace('"', "&#34;")
    parts = urlsplit(location)
    netloc = parts.hostname.encode("idna").decode("ascii") if parts.hostname else ""
    netloc = f"[{netloc}]" if ":" in netloc else netloc
    netloc = f"{netloc}:{parts.port}" if parts.port is not None else netloc
    if parts.username is not None:
        auth = quote(parts.username, safe="%!$&'()*+,;=")
        if parts.password is not None:
            auth = auth + ":" + quote(parts.password, safe="%!$&'()*+,;=")
        netloc = f"{auth}@{netloc}"
    path = quote(parts.path, safe="%!$&'()*+,/:;=@")
    query = quote(parts.query, safe="%!$&'()*+,/:;=?@")
    fragment = quote(parts.fragment, safe="%!#$&'()*+,/:;=?@")
    uri = urlunsplit((parts.scheme, netloc, path, query, fragment))
    page = (
        "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n"
        "<h1>Redirecting...</h1>\n"
        "<p>You should be redirected automatically to the target URL: "
        f'<a href="{shown}">{shown}</a>. If not, click the link.\n'
    )
    return HTMLResponse(page, status_code=302, headers={"Location": uri})


def _answer(value: Any) -> Any:
    """A handler's return value as Flask's make_response made it a response, where a view's return value would
    not be one in FastAPI: `(body, status)`, `(body, status, headers)`, `(body, headers)`; a dict or list body
    as JSON, a string as HTML (the port rewrites a view's own returns the same way)."""
    if isinstance(value, Response) or not isinstance(
        value, (tuple, dict, list, str, bytes)
    ):
        return value
    body, status, headers = value, None, None
    if isinstance(value, tuple):
        if len(value) == 3:
            body, status, headers = value
        elif len(value) == 2 and isinstance(value[1], (dict, list, tuple)):
            body, headers = value
        elif len(value) == 2:
            body, status = value
        else:
            raise TypeError("The view function did not return a valid response tuple.")
    if isinstance(body, Response):
        answer: Response = body
        answer.status_code = status or answer.status_code
    elif isinstance(body, (dict, list)):
        answer = JSONResponse(body, status_code=status or 200)
    elif isinstance(body, (str, bytes)):
        answer = HTMLResponse(body, status_code=status or 200)
    else:
        return value
    for key, text in headers.items() if isinstance(headers, dict) else headers or ():
        answer.headers.append(key, str(text))
    return answer


class LoginManager:
    """flask_login.LoginManager, given the FastAPI app: it adds the middleware that serves `current_user`."""

    def __init__(self, app: Any = None, add_context_processor: bool = True) -> None:
        self.anonymous_user: Callable[[], Any] = AnonymousUserMixin
        self.login_view: str | None = None
        self.login_message: str | None = LOGIN_MESSAGE
        self.login_message_category = "message"
        self.refresh_view: str | None = None
        self.needs_refresh_message: str | None = REFRESH_MESSAGE
        self.needs_refresh_message_category = "message"
        self.session_protection: str | None = "basic"
        self.unauthorized_callback: Callable[[], Any] | None = None
        self.needs_refresh_callback: Callable[[], Any] | None = None
        self.id_attribute = "get_id"
        self._user_callback: Callable[[str], Any] | None = None
        self._request_callback: Callable[[Request], Any] | None = None
        if app is not None:
            self.init_app(app, add_context_processor)

    def init_app(self, app: Any, add_context_processor: bool = True) -> None:
        app.state.login_manager = self
        app.add_middleware(LoginContextMiddleware, manager=self)

    def user_loader(self, callback: Callable[[str], Any]) -> Callable[[str], Any]:
        self._user_callback = callback
        return callback

    def request_loader(
        self, callback: Callable[[Request], Any]
    ) -> Callable[[Request], Any]:
        self._request_callback = callback
        return callback

    def unauthorized_handler(self, callback: Callable[[], Any]) -> Callable[[], Any]:
        self.unauthorized_callback = callback
        return callback

    def needs_refresh_handler(self, callback: Callable[[], Any]) -> Callable[[], Any]:
        self.needs_refresh_callback = callback
        return callback

    def _redirect(self, view: str, message: str | None, category: str) -> Any:
        request = _context().request
        if message:
            flash(request, message, category)
        config = _config(request)
        if config.get("USE_SESSION_FOR_NEXT", False):
            request.session["_id"] = _create_identifier(request)
            request.session["next"] = make_next_param(
                expand_login_view(request, view), _flask_request_url(request)
            )
            return _werkzeug_redirect(login_url(request, view))
        return _werkzeug_redirect(
            login_url(request, view, next_url=_flask_request_url(request))
        )

    def unauthorized(self) -> Any:
        if self.unauthorized_callback:
            return _answer(self.unauthorized_callback())
        if not self.login_view:
            raise HTTPException(status_code=401)
        return self._redirect(
            self.login_view, self.login_message, self.login_message_category
        )

    def needs_refresh(self) -> Any:
        if self.needs_refresh_callback:
            return _answer(self.needs_refresh_callback())
        if not self.refresh_view:
            raise HTTPException(status_code=401)
        return self._redirect(
            self.refresh_view,
            self.needs_refresh_message,
            self.needs_refresh_message_category,
        )

    def _update_request_context_with_user(self, user: Any = None) -> None:
        context = _context()
        context.user = self.anonymous_user() if user is None else user
        context.loaded_in = self._loading_context()

    def _loading_context(self) -> Any:
        """What a loaded user belongs to within the request (none here: it is loaded once per request)."""
        return None

    def _view_url(self, request: Request, view: str) -> str:
        """The path of the login or refresh view, as flask.url_for(view) gives it in a request."""
        return _url_for(request, view)

    def _call(self, callback: Callable[..., Any], *args: Any) -> Any:
        """A user or request loader, called as Flask-Login calls it."""
        return callback(*args)

    def _load_user(self) -> None:
        if self._user_callback is None and self._request_callback is None:
            raise Exception(
                "Missing user_loader or request_loader. Refer to "
                "http://flask-login.readthedocs.io/#how-it-works for more info."
            )
        request = _context().request
        if self._session_protection_failed(request):
            return self._update_request_context_with_user()
        user = None
        user_id = request.session.get("_user_id")
        if user_id is not None and self._user_callback is not None:
            user = self._call(self._user_callback, user_id)
        if user is None:
            config = _config(request)
            cookie_name = config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME)
            header_name = config.get("AUTH_HEADER_NAME", "Authorization")
            if (
                cookie_name in request.cookies
                and request.session.get("_remember") != "clear"
            ):
                user = self._load_user_from_remember_cookie(
                    request, request.cookies[cookie_name]
                )
            elif self._request_callback:
                user = self._call(self._request_callback, request)
            elif header_name in request.headers:
                user = None  # header_loader is not bridged: the port keeps Flask-Login where a module sets one
        return self._update_request_context_with_user(user)

    def _session_protection_failed(self, request: Request) -> bool:
        session = request.session
        ident = _create_identifier(request)
        mode = _config(request).get("SESSION_PROTECTION", self.session_protection)
        if not mode or mode not in ("basic", "strong"):
            return False
        if session and ident != session.get("_id", None):
            if mode == "basic" or session.permanent:
                if session.get("_fresh") is not False:
                    session["_fresh"] = False
                return False
            for key in SESSION_KEYS:
                session.pop(key, None)
            session["_remember"] = "clear"
            return True
        return False

    def _load_user_from_remember_cookie(self, request: Request, cookie: str) -> Any:
        user_id = decode_cookie(request, cookie)
        if user_id is not None:
            request.session["_user_id"] = user_id
            request.session["_fresh"] = False
            if self._user_callback:
                return self._call(self._user_callback, user_id)
        return None

    def _update_remember_cookie(
        self, request: Request, headers: MutableHeaders
    ) -> None:
        """Flask-Login's after_request hook: set or clear the remember cookie, as the session says."""
        session = request.session
        config = _config(request)
        if "_remember" not in session and config.get(
            "REMEMBER_COOKIE_REFRESH_EACH_REQUEST"
        ):
            session["_remember"] = "set"
        if "_remember" in session:
            operation = session.pop("_remember", None)
            name = config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME)
            domain = config.get("REMEMBER_COOKIE_DOMAIN")
            path = config.get("REMEMBER_COOKIE_PATH", "/")
            if operation == "set" and "_user_id" in session:
                if "_remember_seconds" in session:
                    duration: Any = timedelta(seconds=session["_remember_seconds"])
                else:
                    duration = config.get("REMEMBER_COOKIE_DURATION", COOKIE_DURATION)
                if isinstance(duration, int):
                    duration = timedelta(seconds=duration)
                headers.append(
                    "set-cookie",
                    dump_cookie(
                        name,
                        encode_cookie(request, str(session["_user_id"])),
                        expires=datetime.now(timezone.utc) + duration,
                        domain=domain,
                        path=path,
                        secure=config.get("REMEMBER_COOKIE_SECURE", False),
                        httponly=config.get("REMEMBER_COOKIE_HTTPONLY", True),
                        samesite=config.get("REMEMBER_COOKIE_SAMESITE"),
                        partitioned=False,
                    ),
                )
            elif operation == "clear":
                headers.append(
                    "set-cookie",
                    dump_cookie(
                        name,
                        "",
                        expires=0,
                        max_age=0,
                        domain=domain,
                        path=path,
                        secure=False,
                        httponly=False,
                        samesite=None,
                        partitioned=False,
                    ),
                )


class LoginContextMiddleware:
    """Keeps the request being served for `current_user` and the login functions, and runs Flask-Login's
    after_request hook (the remember cookie) before the session middleware around it saves the session."""

    def __init__(self, app: Any, manager: LoginManager, flask: Any = None) -> None:
        self.app = app
        self.manager = manager
        # the Flask app mounted behind the FastAPI one (main.py): Flask-Login's own hook sets the remember cookie
        # on the answers it routes there
        self.flask = flask

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        context = _Context(Request(scope, receive), self.manager)

        async def send_after_request(message: Any) -> None:
            flask_answers = (
                self.flask is not None and scope.get("endpoint") is self.flask
            )
            if message["type"] == "http.response.start" and not flask_answers:
                self.manager._update_remember_cookie(
                    context.request, MutableHeaders(scope=message)
                )
            await send(message)

        token = _CONTEXT.set(context)
        try:
            await self.app(scope, receive, send_after_request)
        finally:
            _CONTEXT.reset(token)


def _get_user() -> Any:
    context = _CONTEXT.get()
    if context is None:
        return None
    if (
        context.user is _UNSET
        or context.loaded_in is not context.manager._loading_context()
    ):
        context.manager._load_user()
    return context.user


class _UserProxy:
    """flask_login.current_user: the user of the request being served (None outside a request)."""

    def __getattr__(self, name: str) -> Any:
        return getattr(_get_user(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(_get_user(), name, value)

    def __bool__(self) -> bool:
        return bool(_get_user())

    def __eq__(self, other: object) -> bool:
        return _get_user() == other

    def __ne__(self, other: object) -> bool:
        return _get_user() != other

    __hash__ = None  # type: ignore[assignment]

    def __str__(self) -> str:
        return str(_get_user())

    def __repr__(self) -> str:
        return repr(_get_user())


current_user: Any = _UserProxy()


def current_login_manager() -> LoginManager:
    """`current_app.login_manager` inside a request: the LoginManager of the app serving it (main.py's
    FlaskAppLoginManager while the Flask app answers behind FastAPI), whose `unauthorized()` and
    `needs_refresh()` answer as Flask-Login's."""
    return _context().manager


def login_fresh() -> bool:
    return _context().request.session.get("_fresh", False)


def login_user(
    user: Any,
    remember: bool = False,
    duration: timedelta | None = None,
    force: bool = False,
    fresh: bool = True,
) -> bool:
    if not force and not user.is_active:
        return False
    context = _context()
    session = context.request.session
    session["_user_id"] = getattr(user, context.manager.id_attribute)()
    session["_fresh"] = fresh
    session["_id"] = _create_identifier(context.request)
    if remember:
        session["_remember"] = "set"
        if duration is not None:
            session["_remember_seconds"] = (
                duration.microseconds
                + (duration.seconds + duration.days * 24 * 3600) * 10**6
            ) / 10.0**6
    context.manager._update_request_context_with_user(user)
    return True


def logout_user() -> bool:
    context = _context()
    _get_user()
    session = context.request.session
    for key in ("_user_id", "_fresh", "_id"):
        if key in session:
            session.pop(key)
    if (
        _config(context.request).get("REMEMBER_COOKIE_NAME", COOKIE_NAME)
        in context.request.cookies
    ):
        session["_remember"] = "clear"
        if "_remember_seconds" in session:
            session.pop("_remember_seconds")
    context.manager._update_request_context_with_user()
    return True


def confirm_login() -> None:
    context = _context()
    context.request.session["_fresh"] = True
    context.request.session["_id"] = _create_identifier(context.request)


def _refused(fresh: bool) -> Any:
    """What Flask-Login's decorators answer instead of the view, or _UNSET to call the view."""
    context = _context()
    if context.request.method in EXEMPT_METHODS or _config(context.request).get(
        "LOGIN_DISABLED"
    ):
        return _UNSET
    if not current_user.is_authenticated:
        return context.manager.unauthorized()
    if fresh and not login_fresh():
        return context.manager.needs_refresh()
    return _UNSET


def _guard(func: Callable[..., Any], fresh: bool) -> Callable[..., Any]:
    if inspect.iscoroutinefunction(func):

        @functools.wraps(func)
        async def decorated_async(*args: Any, **kwargs: Any) -> Any:
            refused = _refused(fresh)
            return await func(*args, **kwargs) if refused is _UNSET else refused

        return decorated_async

    @functools.wraps(func)
    def decorated_view(*args: Any, **kwargs: Any) -> Any:
        refused = _refused(fresh)
        return func(*args, **kwargs) if refused is _UNSET else refused

    return decorated_view


def login_required(func: Callable[..., Any]) -> Callable[..., Any]:
    """flask_login.login_required: the unauthorized answer unless a user is logged in (OPTIONS exempt)."""
    return _guard(func, fresh=False)


def fresh_login_required(func: Callable[..., Any]) -> Callable[..., Any]:
    """flask_login.fresh_login_required: as login_required, and the needs-refresh answer unless the login is
    fresh (made in this session, not restored from the remember cookie)."""
    return _guard(func, fresh=True)


def user_context(request: Request) -> dict[str, Any]:
    """A Jinja2Templates context processor: templates read `current_user` as Flask-Login's processor gives it."""
    return {"current_user": _get_user()}
