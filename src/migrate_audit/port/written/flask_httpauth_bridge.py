"""Flask-HTTPAuth (4.8) for the ported FastAPI app: written by `migrate-audit port`.

`HTTPBasicAuth` and `HTTPTokenAuth` with Flask-HTTPAuth's behaviour: the same parsing of the Authorization header
(or the token's own header), `verify_password` / `verify_token`, `get_user_roles` and `login_required(role=...,
optional=...)`, `current_user()` and `username()`, and the same error answer: the error handler's (by default the
text "Unauthorized Access", 401, as HTML) with `WWW-Authenticate: <scheme> realm="<realm>"` added.

How the request reaches `login_required` without Flask's request context: the decorator keeps the view's
signature (`functools.wraps`) and adds one keyword-only parameter, `_httpauth_request: Request`, in
`__signature__`, where FastAPI reads a path operation's parameters; FastAPI passes the request there, and the
wrapper takes it out before it calls the view with what FastAPI gave it. The user it authenticated is kept in a
context variable for the view's call (`current_user()`), as Flask-HTTPAuth keeps it in `g`. The wrapper is a
coroutine function exactly when the view is one.

Not here (the port keeps Flask-HTTPAuth where a module uses them): HTTPDigestAuth, MultiAuth, the deprecated
get_password / hash_password callbacks.
"""

from __future__ import annotations

import functools
import inspect
from base64 import b64decode
from contextvars import ContextVar
from typing import Any, Callable

from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.requests import Request

_REQUEST = "_httpauth_request"  # the parameter FastAPI passes the request in (see the module's docstring)
_MISSING = object()
_STATE: ContextVar[dict[str, Any] | None] = ContextVar(
    "flask_httpauth_bridge", default=None
)


class Authorization:
    """The parts of werkzeug.datastructures.Authorization that Flask-HTTPAuth reads."""

    def __init__(
        self,
        auth_type: Any,
        data: dict[str, str] | None = None,
        token: str | None = None,
    ) -> None:
        self.type = auth_type
        self.parameters = data or {}
        self.token = token

    @property
    def username(self) -> str | None:
        return self.parameters.get("username")

    @property
    def password(self) -> str | None:
        return self.parameters.get("password")


def _werkzeug_authorization(value: str | None) -> Authorization | None:
    """werkzeug's Authorization.from_header (3.1): what Flask's `request.authorization` reads."""
    import binascii

    if not value:
        return None
    scheme, _, rest = value.partition(" ")
    scheme = scheme.lower()
    rest = rest.strip(" \t")
    if scheme == "basic":
        try:
            username, _, password = (
                b64decode(rest, validate=True).decode().partition(":")
            )
        except (binascii.Error, UnicodeError):
            return None
        return Authorization(scheme, {"username": username, "password": password})
    if "=" in rest.rstrip("="):
        return Authorization(
            scheme, {}
        )  # parameters, not a token: Flask-HTTPAuth reads neither of them
    return Authorization(scheme, None, rest)


def _response(value: Any) -> Response:
    """Flask's make_response for what an error handler returns: (body, status[, headers]) or (body, headers); a
    dict or list body as JSON, a string as HTML."""
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
        answer = body
        answer.status_code = status or answer.status_code
    elif isinstance(body, (dict, list)):
        answer = JSONResponse(body, status_code=status or 200)
    elif isinstance(body, (str, bytes)):
        answer = HTMLResponse(body, status_code=status or 200)
    else:
        raise TypeError(
            f"The view function did not return a valid response: {type(body).__name__}"
        )
    for key, text in headers.items() if isinstance(headers, dict) else headers or ():
        answer.headers.append(key, str(text))
    return answer


class HTTPAuth:
    """flask_httpauth.HTTPAuth: what Basic and token authentication share."""

    def __init__(
        self,
        scheme: str | None = None,
        realm: str | None = None,
        header: str | None = None,
    ) -> None:
        self.scheme = scheme
        self.realm = realm or "Authentication Required"
        self.header = header
        self.get_user_roles_callback: Callable[[Any], Any] | None = None
        self.auth_error_callback: Callable[..., Any] | None = None

        def default_auth_error(status: int) -> Any:
            return "Unauthorized Access", status

        self.error_handler(default_auth_error)

    def get_user_roles(self, f: Callable[[Any], Any]) -> Callable[[Any], Any]:
        self.get_user_roles_callback = f
        return f

    def error_handler(self, f: Callable[..., Any]) -> Callable[..., Response]:
        @functools.wraps(f)
        def decorated(*args: Any, **kwargs: Any) -> Response:
            res = f(*args, **kwargs)
            check_status_code = not isinstance(res, (tuple, Response))
            res = _response(res)
            if check_status_code and res.status_code == 200:
                res.status_code = 401  # if the handler did not set a status
            if "WWW-Authenticate" not in res.headers:
                res.headers["WWW-Authenticate"] = self.authenticate_header()
            return res

        self.auth_error_callback = decorated
        return decorated

    def authenticate_header(self) -> str:
        return f'{self.scheme} realm="{self.realm}"'

    def get_auth(self, request: Request) -> Authorization | None:
        auth = None
        if self.header is None or self.header == "Authorization":
            auth = _werkzeug_authorization(request.headers.get("Authorization"))
        elif self.header in request.headers:
            auth = Authorization(self.scheme)
            auth.token = request.headers[self.header]
        if auth is not None and auth.type.lower() != self.scheme.lower():  # type: ignore[union-attr]
            auth = None
        return auth

    def authenticate(self, auth: Authorization | None) -> Any:
        raise NotImplementedError

    def authorize(
        self, role: Any, user: Any, auth: Authorization | None
    ) -> bool | None:
        if role is None:
            return True
        roles = role if isinstance(role, (list, tuple)) else [role]
        if user is True:
            user = auth
        if self.get_user_roles_callback is None:
            raise ValueError("get_user_roles callback is not defined")
        user_roles = self.get_user_roles_callback(user)
        if user_roles is None:
            user_roles = {}
        elif not isinstance(user_roles, (list, tuple)):
            user_roles = {user_roles}
        else:
            user_roles = set(user_roles)
        for needed in roles:
            if isinstance(needed, (list, tuple)):
                if set(needed) & user_roles == set(needed):
                    return True
            elif needed in user_roles:
                return True
        return None

    def _refused(
        self, request: Request, state: dict[str, Any], role: Any, optional: Any
    ) -> Any:
        """The error answer, or _MISSING when the view is to be called (the user kept in `state`)."""
        state["request"] = request
        auth = self.get_auth(request)
        if request.method != "OPTIONS":
            status = None
            user = self.authenticate(auth)
            if user in (False, None):
                status = 401
            elif not self.authorize(role, user, auth):
                status = 403
            if not optional and status:
                try:
                    return self.auth_error_callback(status)  # type: ignore[misc]
                except TypeError:
                    return self.auth_error_callback()  # type: ignore[misc]
            state["user"] = (
                user if user is not True else auth.username if auth else None
            )
        return _MISSING

    def login_required(
        self,
        f: Callable[..., Any] | None = None,
        role: Any = None,
        optional: Any = None,
    ) -> Any:
        if f is not None and (role is not None or optional is not None):
            raise ValueError("role and optional are the only supported arguments")

        def login_required_internal(view: Callable[..., Any]) -> Callable[..., Any]:
            if inspect.iscoroutinefunction(view):

                @functools.wraps(view)
                async def decorated_async(*args: Any, **kwargs: Any) -> Any:
                    request = kwargs.pop(_REQUEST)
                    state: dict[str, Any] = {}
                    refused = self._refused(request, state, role, optional)
                    if refused is not _MISSING:
                        return refused
                    token = _STATE.set(state)
                    try:
                        return await view(*args, **kwargs)
                    finally:
                        _STATE.reset(token)

                return _asking_for_the_request(decorated_async, view)

            @functools.wraps(view)
            def decorated(*args: Any, **kwargs: Any) -> Any:
                request = kwargs.pop(_REQUEST)
                state: dict[str, Any] = {}
                refused = self._refused(request, state, role, optional)
                if refused is not _MISSING:
                    return refused
                token = _STATE.set(state)
                try:
                    return view(*args, **kwargs)
                finally:
                    _STATE.reset(token)

            return _asking_for_the_request(decorated, view)

        if f:
            return login_required_internal(f)
        return login_required_internal

    def username(self) -> str | None:
        state = _STATE.get()
        auth = self.get_auth(state["request"]) if state else None
        if not auth:
            return ""
        return auth.username

    def current_user(self) -> Any:
        state = _STATE.get()
        return state.get("user") if state else None


def _asking_for_the_request(
    wrapper: Callable[..., Any], view: Callable[..., Any]
) -> Callable[..., Any]:
    """The view's signature and `_httpauth_request: Request` (keyword-only), where FastAPI reads it."""
    signature = inspect.signature(view)
    parameters = list(signature.parameters.values())
    at = next(
        (i for i, p in enumerate(parameters) if p.kind == p.VAR_KEYWORD),
        len(parameters),
    )
    extra = inspect.Parameter(
        _REQUEST, inspect.Parameter.KEYWORD_ONLY, annotation=Request
    )
    wrapper.__signature__ = signature.replace(
        parameters=[*parameters[:at], extra, *parameters[at:]]
    )  # type: ignore[attr-defined]
    return wrapper


class HTTPBasicAuth(HTTPAuth):
    """flask_httpauth.HTTPBasicAuth with a verify_password callback."""

    def __init__(self, scheme: str | None = None, realm: str | None = None) -> None:
        super().__init__(scheme or "Basic", realm)
        self.verify_password_callback: Callable[[str, str], Any] | None = None

    def verify_password(
        self, f: Callable[[str, str], Any]
    ) -> Callable[[str, str], Any]:
        self.verify_password_callback = f
        return f

    def get_auth(self, request: Request) -> Authorization | None:
        """Flask-HTTPAuth's own parser: any scheme, the credentials decoded as UTF-8, else Latin-1."""
        header = self.header or "Authorization"
        if header not in request.headers:
            return None
        value = request.headers[header].encode("utf-8")
        try:
            scheme, credentials = value.split(b" ", 1)
            encoded_username, encoded_password = b64decode(credentials).split(b":", 1)
        except (ValueError, TypeError):
            return None
        try:
            username = encoded_username.decode("utf-8")
            password = encoded_password.decode("utf-8")
        except UnicodeDecodeError:
            username = encoded_username.decode("latin1")
            password = encoded_password.decode("latin1")
        return Authorization(scheme, {"username": username, "password": password})

    def authenticate(self, auth: Authorization | None) -> Any:
        username, client_password = (auth.username, auth.password) if auth else ("", "")
        if self.verify_password_callback:
            return self.verify_password_callback(username, client_password)  # type: ignore[arg-type]
        return None  # without the callback, Flask-HTTPAuth's get_password (default: None) refuses everyone


class HTTPTokenAuth(HTTPAuth):
    """flask_httpauth.HTTPTokenAuth with a verify_token callback."""

    def __init__(
        self,
        scheme: str = "Bearer",
        realm: str | None = None,
        header: str | None = None,
    ) -> None:
        super().__init__(scheme, realm, header)
        self.verify_token_callback: Callable[[str], Any] | None = None

    def verify_token(self, f: Callable[[str], Any]) -> Callable[[str], Any]:
        self.verify_token_callback = f
        return f

    def authenticate(self, auth: Authorization | None) -> Any:
        token = getattr(auth, "token", None)
        if token and self.verify_token_callback:
            return self.verify_token_callback(token)
        return None
