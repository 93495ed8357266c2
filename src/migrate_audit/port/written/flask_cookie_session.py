"""Flask's signed cookie session for FastAPI, written by `migrate-audit port`: the same cookie Flask reads and writes.

Flask (flask.sessions.SecureCookieSessionInterface) keeps the session in one cookie: Flask's tagged JSON, signed
by itsdangerous' URLSafeTimedSerializer with the salt "cookie-session", an HMAC-derived key and SHA-1. This
middleware reads and writes that cookie the same way, with the same attributes, sets it only when Flask would
(the session was changed, or is permanent and SESSION_REFRESH_EACH_REQUEST holds) and deletes it when the
session was emptied. So a user's session goes on across the routes Flask still serves and those FastAPI serves
now, and after Flask has gone. Views read it as `request.session` (the middleware puts it in the scope, where
Starlette's `Request.session` finds it). Starlette's own SessionMiddleware signs another format: it could take
over only once no cookie Flask signed is still valid (PERMANENT_SESSION_LIFETIME after the cutover).

`config` holds Flask's session keys (SECRET_KEY, SESSION_COOKIE_*, PERMANENT_SESSION_LIFETIME...), read at each
request as Flask reads app.config, with Flask's defaults; during the strangler phase it can be the Flask app's
own `app.config`.
"""

from __future__ import annotations

import dataclasses
import decimal
import hashlib
import json
import re
from base64 import b64decode, b64encode
from collections.abc import Mapping
from contextvars import ContextVar
from datetime import date, datetime, time, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any
from urllib.parse import quote
from uuid import UUID

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.datastructures import MutableHeaders

# Flask's default_config for what the session reads (Flask 3.1).
DEFAULTS: dict[str, Any] = {
    "SECRET_KEY": None,
    "SECRET_KEY_FALLBACKS": [],
    "SESSION_COOKIE_NAME": "session",
    "SESSION_COOKIE_DOMAIN": None,
    "SESSION_COOKIE_PATH": None,
    "APPLICATION_ROOT": "/",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SECURE": False,
    "SESSION_COOKIE_PARTITIONED": False,
    "SESSION_COOKIE_SAMESITE": None,
    "PERMANENT_SESSION_LIFETIME": timedelta(days=31),
    "SESSION_REFRESH_EACH_REQUEST": True,
}
SALT = "cookie-session"


# Flask's tagged JSON (flask.json.tag.TaggedJSONSerializer) -------------------------------------------------------
def _http_date(value: date) -> str:
    """werkzeug.http.http_date: a naive datetime is UTC, a date is midnight UTC."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(), tzinfo=timezone.utc)
    elif value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    elif value.tzinfo != timezone.utc:
        value = value.astimezone(timezone.utc)
    return format_datetime(value, usegmt=True)


def _parse_date(value: str) -> datetime | None:
    """werkzeug.http.parse_date: None when it does not parse, UTC when it has no zone."""
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return parsed.replace(tzinfo=timezone.utc) if parsed.tzinfo is None else parsed


def _markup(value: str) -> Any:
    # Flask's dependency; needed only for a session holding Markup
    from markupsafe import Markup

    return Markup(value)


_TAGS = (" di", " t", " b", " m", " u", " d")


def _tag(value: Any) -> Any:
    """TaggedJSONSerializer.tag: its tags, tried in its order."""
    if isinstance(value, dict):
        if len(value) == 1 and next(iter(value)) in _TAGS:
            key = next(iter(value))
            return {" di": {f"{key}__": _tag(value[key])}}
        return {k: _tag(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return {" t": [_tag(item) for item in value]}
    if isinstance(value, list):
        return [_tag(item) for item in value]
    if isinstance(value, bytes):
        return {" b": b64encode(value).decode("ascii")}
    if callable(getattr(value, "__html__", None)):
        return {" m": str(value.__html__())}
    if isinstance(value, UUID):
        return {" u": value.hex}
    if isinstance(value, datetime):
        return {" d": _http_date(value)}
    return value


def _untag(value: dict[str, Any]) -> Any:
    if len(value) != 1:
        return value
    key, inner = next(iter(value.items()))
    if key == " di":
        name = next(iter(inner))
        return {name[:-2]: inner[name]}
    if key == " t":
        return tuple(inner)
    if key == " b":
        return b64decode(inner)
    if key == " m":
        return _markup(inner)
    if key == " u":
        return UUID(inner)
    if key == " d":
        return _parse_date(inner)
    return value


def _untag_scan(value: Any) -> Any:
    if isinstance(value, dict):
        return _untag({k: _untag_scan(v) for k, v in value.items()})
    if isinstance(value, list):
        return [_untag_scan(item) for item in value]
    return value


def _default(value: Any) -> Any:
    """flask.json.provider._default: what Flask's JSON provider writes for the other types."""
    if isinstance(value, date):
        return _http_date(value)
    if isinstance(value, (decimal.Decimal, UUID)):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


class TaggedJSON:
    """Flask's session serializer, dumped as Flask dumps it in a request (its app's JSON provider: sorted keys,
    ASCII only, compact)."""

    @staticmethod
    def dumps(value: Any) -> str:
        return json.dumps(
            _tag(value),
            separators=(",", ":"),
            sort_keys=True,
            ensure_ascii=True,
            default=_default,
        )

    @staticmethod
    def loads(value: str | bytes) -> Any:
        return _untag_scan(json.loads(value))


# The session object (flask.sessions.SecureCookieSession) --------------------------------------------------------
def _every_use_counts() -> bool:
    """Flask 3.1 marks the session accessed on any use of its `session` proxy (`in`, iteration, len: each sends
    `Vary: Cookie`); Flask 3.0 and earlier only on `[key]`, `get`, `setdefault` and changes. The bridge follows
    the Flask installed beside it, and 3.1's rule where there is none."""
    try:
        from importlib.metadata import PackageNotFoundError, version

        major, minor = (int(part) for part in version("flask").split(".")[:2])
    except (PackageNotFoundError, ValueError):
        return True
    return (major, minor) >= (3, 1)


EVERY_USE = _every_use_counts()


class Session(dict):  # type: ignore[type-arg]
    """A dict that knows whether it was changed (`modified`, on the changes werkzeug's CallbackDict reports) and
    used at all (`accessed`, which sends `Vary: Cookie`: Flask 3.1 counts every use through its `session`
    proxy, 3.0 only item reads and changes; EVERY_USE), with `permanent` kept in the `_permanent` key as Flask
    keeps it."""

    new = False  # SessionMixin.new: a signed cookie cannot tell a new session from an empty one

    def __init__(self, initial: Mapping[str, Any] | None = None) -> None:
        super().__init__(initial or {})
        object.__setattr__(self, "modified", False)
        object.__setattr__(self, "accessed", False)

    def __setattr__(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)
        # Flask 3.1's proxy; `permanent` is a change on any version (its key)
        if EVERY_USE:
            object.__setattr__(self, "accessed", True)

    def _used(self) -> None:
        object.__setattr__(self, "accessed", True)

    def _read(self) -> None:
        """A read that Flask 3.0's SecureCookieSession did not count (dict's own `in`, iteration...)."""
        if EVERY_USE:
            object.__setattr__(self, "accessed", True)

    def _changed(self) -> None:
        object.__setattr__(self, "accessed", True)
        object.__setattr__(self, "modified", True)

    @property
    def permanent(self) -> bool:
        return bool(self.get("_permanent", False))

    @permanent.setter
    def permanent(self, value: bool) -> None:
        self["_permanent"] = bool(value)

    # reads
    def __getitem__(self, key: str) -> Any:
        self._used()
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self._used()
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        self._read()
        return super().__contains__(key)

    def __iter__(self):  # type: ignore[no-untyped-def]
        self._read()
        return super().__iter__()

    def __len__(self) -> int:
        self._read()
        return super().__len__()

    def keys(self):  # type: ignore[no-untyped-def]
        self._read()
        return super().keys()

    def values(self):  # type: ignore[no-untyped-def]
        self._read()
        return super().values()

    def items(self):  # type: ignore[no-untyped-def]
        self._read()
        return super().items()

    def copy(self) -> dict[str, Any]:
        self._read()
        return dict(super().items())

    # changes, reported as werkzeug's UpdateDictMixin reports them
    def setdefault(self, key: str, default: Any = None) -> Any:
        self._used()
        missing = not super().__contains__(key)
        value = super().setdefault(key, default)
        if missing:
            self._changed()
        return value

    _MISSING = object()

    def pop(self, key: str, default: Any = _MISSING) -> Any:
        self._read()
        present = super().__contains__(key)
        value = (
            super().pop(key)
            if default is Session._MISSING
            else super().pop(key, default)
        )
        if present:
            self._changed()
        return value

    def __setitem__(self, key: str, value: Any) -> None:
        self._changed()
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        self._changed()
        super().__delitem__(key)

    def clear(self) -> None:
        self._changed()
        super().clear()

    def popitem(self) -> tuple[str, Any]:
        self._changed()
        return super().popitem()

    def update(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        self._changed()
        super().update(*args, **kwargs)

    def __ior__(self, other: Any) -> Session:  # type: ignore[override]
        self._changed()
        super().update(other)
        return self


# The middleware (SecureCookieSessionInterface.open_session / save_session) --------------------------------------
_NO_QUOTE = re.compile(r"[\w!#$%&'()*+\-./:<=>?@\[\]^`{|}~]*", re.ASCII)


def request_cookie(scope: Any, name: str) -> str | None:
    """The request's cookie `name` as Werkzeug reads it: the first one sent (a browser sends the cookie of the
    longest path first; Starlette's `request.cookies` keeps the last), quotes removed."""
    for header, value in scope.get("headers", ()):
        if header != b"cookie":
            continue
        for chunk in value.decode("latin-1").split(";"):
            key, _, found = chunk.partition("=")
            if key.strip() == name:
                found = found.strip()
                if len(found) >= 2 and found[0] == found[-1] == '"':
                    found = found[1:-1].replace('\\"', '"').replace("\\\\", "\\")
                return found
    return None


def dump_cookie(
    name: str,
    value: str,
    *,
    expires: datetime | int | None,
    domain: str | None,
    path: str | None,
    secure: bool,
    httponly: bool,
    samesite: str | None,
    partitioned: bool,
    max_age: int | None = None,
) -> str:
    """A Set-Cookie value written as werkzeug.http.dump_cookie writes it (same attributes, same order)."""
    if path is not None:
        path = quote(path, safe="%!$&'()*+,/:=@")
    if domain:
        domain = domain.partition(":")[0].lstrip(".").encode("idna").decode("ascii")
    expires_text = None
    if expires is not None:
        # werkzeug's http_date(0) for a deleted cookie, else the date as werkzeug writes it
        expires_text = (
            "Thu, 01 Jan 1970 00:00:00 GMT"
            if isinstance(expires, int)
            else _http_date(expires)
        )
    if samesite is not None:
        samesite = samesite.title()
        if samesite not in ("Strict", "Lax", "None"):
            raise ValueError("SameSite must be 'Strict', 'Lax', or 'None'.")
    if partitioned:
        secure = True
    if not _NO_QUOTE.fullmatch(
        value
    ):  # never for the URL-safe tokens itsdangerous writes
        value = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    parts = [f"{name}={value}"]
    for key, attribute in (
        ("Domain", domain),
        ("Expires", expires_text),
        ("Max-Age", max_age),
        ("Secure", secure),
        ("HttpOnly", httponly),
        ("Path", path),
        ("SameSite", samesite),
        ("Partitioned", partitioned),
    ):
        if attribute is None or attribute is False:
            continue
        parts.append(key if attribute is True else f"{key}={attribute}")
    return "; ".join(parts)


def _vary_cookie(headers: MutableHeaders) -> None:
    """`response.vary.add("Cookie")`: Werkzeug's Vary is a set, so Cookie is listed once."""
    present = [token.strip().lower() for token in headers.get("vary", "").split(",")]
    if "cookie" not in present:
        headers.add_vary_header("Cookie")


class FlaskSessionMiddleware:
    """Opens Flask's session cookie into `scope["session"]` before the app runs and saves it when the response
    starts, as Flask opens it before the before_request hooks and saves it after the after_request hooks (add it
    last, so that it wraps every other middleware)."""

    def __init__(
        self,
        app: Any,
        secret_key: str | bytes | None = None,
        config: Mapping[str, Any] | None = None,
        flask: Any = None,
    ) -> None:
        self.app = app
        self.secret_key = secret_key
        self.config = config if config is not None else {}
        # the Flask app mounted behind the FastAPI one (main.py): it saves its session itself, so the bridge
        # leaves the answers it routes there alone
        self.flask = flask

    def setting(self, key: str) -> Any:
        if key == "SECRET_KEY" and self.secret_key is not None:
            return self.secret_key
        return (
            self.config.get(key, DEFAULTS[key]) if key in DEFAULTS else self.config[key]
        )

    def lifetime(self) -> timedelta:
        value = self.setting("PERMANENT_SESSION_LIFETIME")
        return value if isinstance(value, timedelta) else timedelta(seconds=value)

    def serializer(self) -> URLSafeTimedSerializer | None:
        if not self.setting("SECRET_KEY"):
            return None
        keys = [
            *(self.setting("SECRET_KEY_FALLBACKS") or ()),
            self.setting("SECRET_KEY"),
        ]
        return URLSafeTimedSerializer(
            keys,
            salt=SALT,
            serializer=TaggedJSON,  # type: ignore[arg-type]
            signer_kwargs={"key_derivation": "hmac", "digest_method": hashlib.sha1},
        )

    def open(self, scope: Any) -> Session:
        serializer = self.serializer()
        if serializer is None:
            return NullSession()
        value = request_cookie(scope, self.setting("SESSION_COOKIE_NAME"))
        if not value:
            return Session()
        try:
            return Session(
                serializer.loads(value, max_age=int(self.lifetime().total_seconds()))
            )
        except BadSignature:
            return Session()

    def save(self, session: Session, headers: MutableHeaders) -> None:
        if isinstance(session, NullSession):
            return
        accessed, modified = session.accessed, session.modified
        attributes = {
            "domain": self.setting("SESSION_COOKIE_DOMAIN"),
            "path": self.setting("SESSION_COOKIE_PATH")
            or self.setting("APPLICATION_ROOT"),
            "secure": self.setting("SESSION_COOKIE_SECURE"),
            "partitioned": self.setting("SESSION_COOKIE_PARTITIONED"),
            "samesite": self.setting("SESSION_COOKIE_SAMESITE"),
            "httponly": self.setting("SESSION_COOKIE_HTTPONLY"),
        }
        name = self.setting("SESSION_COOKIE_NAME")
        if accessed:
            _vary_cookie(headers)
        data = dict(dict.items(session))
        if not data:
            if modified:
                headers.append(
                    "set-cookie",
                    dump_cookie(name, "", expires=0, max_age=0, **attributes),
                )
                _vary_cookie(headers)
            return
        permanent = bool(data.get("_permanent", False))
        if not (
            modified or (permanent and self.setting("SESSION_REFRESH_EACH_REQUEST"))
        ):
            return
        expires = datetime.now(timezone.utc) + self.lifetime() if permanent else None
        value = self.serializer().dumps(data)  # type: ignore[union-attr]
        headers.append(
            "set-cookie", dump_cookie(name, value, expires=expires, **attributes)
        )
        _vary_cookie(headers)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        session = self.open(scope)
        scope["session"] = session

        async def send_saving(message: Any) -> None:
            flask_answers = (
                self.flask is not None and scope.get("endpoint") is self.flask
            )
            if message["type"] == "http.response.start" and not flask_answers:
                self.save(session, MutableHeaders(scope=message))
            await send(message)

        token = _CURRENT.set(
            session
        )  # for `session` below: copied into the tasks and threads that serve the request
        try:
            await self.app(scope, receive, send_saving)
        finally:
            _CURRENT.reset(token)


# `session` for code that has no request at hand (a helper a view calls), as Flask's proxy is -----------------------
_CURRENT: ContextVar[Session | None] = ContextVar("flask_cookie_session", default=None)


def _current() -> Session:
    found = _CURRENT.get()
    if found is None:
        raise RuntimeError(
            "Working outside of request context.\n\nThis typically means that you attempted to use "
            "functionality that needed\nan active HTTP request."
        )
    if EVERY_USE:  # Flask 3.1: any use of its proxy counts as an access
        found._used()
    return found


class _SessionProxy:
    """The request's session, like `flask.session`: the one the middleware opened for the request being served
    (a context variable, which asyncio tasks and the thread pool FastAPI runs sync views in inherit)."""

    def __getattr__(self, name: str) -> Any:
        return getattr(_current(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(_current(), name, value)

    def __getitem__(self, key: str) -> Any:
        return _current()[key]

    def __setitem__(self, key: str, value: Any) -> None:
        _current()[key] = value

    def __delitem__(self, key: str) -> None:
        del _current()[key]

    def __contains__(self, key: object) -> bool:
        return key in _current()

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(_current())

    def __len__(self) -> int:
        return len(_current())

    def __bool__(self) -> bool:
        return bool(_current())

    def __eq__(self, other: object) -> bool:
        return _current() == other

    def __ne__(self, other: object) -> bool:
        return _current() != other

    __hash__ = None  # type: ignore[assignment]

    def __ior__(self, other: Any) -> _SessionProxy:
        _current().update(other)
        return self

    def __repr__(self) -> str:
        return repr(_current())


session = _SessionProxy()


# Message flashing (flask.helpers.flash, get_flashed_messages), over the same session -----------------------------
def flash(request: Any, message: str, category: str = "message") -> None:
    """flask.flash: the message appended to the session's `_flashes` list, as (category, message)."""
    flashes = request.session.get("_flashes", [])
    flashes.append((category, message))
    request.session["_flashes"] = flashes


def get_flashed_messages(
    request: Any, with_categories: bool = False, category_filter: Any = ()
) -> list[Any]:
    """flask.get_flashed_messages: the session's flashes, taken out of it by the request's first call and kept for
    its later ones."""
    flashes = request.scope.get("flask.flashes")
    if flashes is None:
        flashes = (
            request.session.pop("_flashes") if "_flashes" in request.session else []
        )
        request.scope["flask.flashes"] = flashes
    if category_filter:
        flashes = [flashed for flashed in flashes if flashed[0] in category_filter]
    if not with_categories:
        return [flashed[1] for flashed in flashes]
    return flashes


# The same functions, under the names a module gives them where it keeps Flask's own beside them (a view left to
# Flask still calls flask.flash): Flask's, for a FastAPI view.
flask_flash = flash
flask_get_flashed_messages = get_flashed_messages


def flashed_messages(request: Any) -> dict[str, Any]:
    """A Jinja2Templates context processor: templates call `get_flashed_messages(...)` as Flask's do."""
    return {
        "get_flashed_messages": lambda *args, **kwargs: get_flashed_messages(
            request, *args, **kwargs
        )
    }


def session_context(request: Any) -> dict[str, Any]:
    """A Jinja2Templates context processor: templates read `session` as Flask's do."""
    return {"session": request.session}


class NullSession(Session):
    """Flask's NullSession, the session without a secret key: read as empty, every change refused."""

    def _fail(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(
            "The session is unavailable because no secret key was set.  Set the secret_key on "
            "the application to something unique and secret."
        )

    __setitem__ = __delitem__ = clear = pop = popitem = _fail  # type: ignore[assignment]
    update = setdefault = __ior__ = _fail  # type: ignore[assignment]
