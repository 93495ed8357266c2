"""Flask-JWT-Extended (4.7) for the ported FastAPI app: written by `migrate-audit port`.

The same tokens, made and checked with PyJWT as Flask-JWT-Extended makes and checks them: `create_access_token`
and `create_refresh_token` write its claims (`fresh`, `iat`, `jti`, `type`, the identity claim, `nbf`, `csrf`
while JWT_COOKIE_CSRF_PROTECT is on, `exp`), and `@jwt_required()` reads the token from the Authorization header,
decodes it with the same options and answers its errors as Flask-JWT-Extended's default callbacks do (401
`{"msg": "Missing Authorization Header"}`, 401 "Token has expired", 422 for a token that does not verify or a
refresh token where an access token is required...). So a token issued by the Flask app is accepted here, and
back, while both run. Its settings are the JWT_* keys of the app's config, which the port moved to `settings`:
`JWTManager(app, config=settings)` sets Flask-JWT-Extended's defaults there and reads them on every call, as
Flask-JWT-Extended reads `current_app.config`.

How the view gets the token's claims without Flask's request context: `@jwt_required()` keeps the view's signature
(`functools.wraps`) and adds one keyword-only parameter, `_jwt_request: Request`, in `__signature__`, where FastAPI
reads a path operation's parameters; the wrapper takes it out, verifies the token, and keeps its claims in a
context variable for `get_jwt_identity()` and `get_jwt()` while the view runs. Not here (the port keeps
Flask-JWT-Extended where a module uses them): token locations other than the headers (cookies, query string,
JSON), the manager's loaders (user lookup, blocklist, additional claims, custom error answers), `current_user`,
`verify_jwt_in_request`, `decode_token`, cookies helpers, and a custom JSON provider of the Flask app.
"""

from __future__ import annotations

import contextvars
import dataclasses
import decimal
import functools
import inspect
import json
import re
import uuid
from datetime import date, datetime, time, timedelta, timezone
from email.utils import format_datetime
from typing import Any, Callable

import jwt
from fastapi.responses import Response
from starlette.requests import Request

_REQUEST = "_jwt_request"
_ASYMMETRIC = {
    "RS256",
    "RS384",
    "RS512",
    "ES256",
    "ES384",
    "ES512",
    "ES256K",
    "PS256",
    "PS384",
    "PS512",
    "EdDSA",
}
DEFAULTS: dict[str, Any] = {
    "JWT_ACCESS_TOKEN_EXPIRES": timedelta(minutes=15),
    "JWT_ALGORITHM": "HS256",
    "JWT_COOKIE_CSRF_PROTECT": True,
    "JWT_DECODE_ALGORITHMS": None,
    "JWT_DECODE_AUDIENCE": None,
    "JWT_DECODE_ISSUER": None,
    "JWT_DECODE_LEEWAY": 0,
    "JWT_ENCODE_AUDIENCE": None,
    "JWT_ENCODE_ISSUER": None,
    "JWT_ERROR_MESSAGE_KEY": "msg",
    "JWT_HEADER_NAME": "Authorization",
    "JWT_HEADER_TYPE": "Bearer",
    "JWT_IDENTITY_CLAIM": "sub",
    "JWT_PRIVATE_KEY": None,
    "JWT_PUBLIC_KEY": None,
    "JWT_REFRESH_TOKEN_EXPIRES": timedelta(days=30),
    "JWT_SECRET_KEY": None,
    "JWT_VERIFY_SUB": True,
    "JWT_ENCODE_NBF": True,
}
_manager: JWTManager | None = (
    None  # Flask-JWT-Extended finds its manager on current_app: here, the module's one
)
_verified: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "jwt_claims", default=None
)


class JWTManager:
    """flask_jwt_extended.JWTManager, given the FastAPI app (which it needs nothing of) and the app's config."""

    def __init__(self, app: Any = None, config: dict[str, Any] | None = None) -> None:
        global _manager
        self.config = {} if config is None else config
        for key, value in DEFAULTS.items():
            self.config.setdefault(key, value)
        _manager = self

    def setting(self, key: str) -> Any:
        return self.config[key]

    def _expires(self, key: str) -> Any:
        delta = self.setting(key)
        if type(delta) is int:
            delta = timedelta(seconds=delta)
        if delta is not False:
            try:
                delta + datetime.now(timezone.utc)
            except TypeError as e:
                raise RuntimeError(
                    f"must be able to add {key} to datetime.datetime"
                ) from e
        return delta

    def _key(self, asymmetric_key: str) -> Any:
        algorithm = self.setting("JWT_ALGORITHM")
        if algorithm in _ASYMMETRIC:
            key = self.setting(asymmetric_key)
            if not key:
                raise RuntimeError(
                    f"{asymmetric_key} must be set to use asymmetric cryptography algorithm "
                    f'"{algorithm}"'
                )
            return key
        key = self.setting("JWT_SECRET_KEY") or self.config.get("SECRET_KEY")
        if not key:
            raise RuntimeError(
                f'JWT_SECRET_KEY or flask SECRET_KEY must be set when using symmetric algorithm "{algorithm}"'
            )
        return key

    def _algorithms(self) -> list[str]:
        algorithms = self.setting("JWT_DECODE_ALGORITHMS")
        if not algorithms:
            return [self.setting("JWT_ALGORITHM")]
        if self.setting("JWT_ALGORITHM") not in algorithms:
            algorithms.append(self.setting("JWT_ALGORITHM"))
        return algorithms

    def encode(
        self,
        identity: Any,
        token_type: str,
        claims: Any,
        fresh: Any,
        expires_delta: Any,
        headers: Any,
    ) -> str:
        """JWTManager._encode_jwt_from_config and tokens._encode_jwt, with the default loaders."""
        if expires_delta is None:
            expires_delta = self._expires(
                "JWT_ACCESS_TOKEN_EXPIRES"
                if token_type == "access"
                else "JWT_REFRESH_TOKEN_EXPIRES"
            )
        now = datetime.now(timezone.utc)
        if isinstance(fresh, timedelta):
            fresh = datetime.timestamp(now + fresh)
        token_data = {
            "fresh": fresh,
            "iat": now,
            "jti": str(uuid.uuid4()),
            "type": token_type,
            self.setting("JWT_IDENTITY_CLAIM"): identity,
        }
        if self.setting("JWT_ENCODE_NBF"):
            token_data["nbf"] = now
        if self.setting("JWT_COOKIE_CSRF_PROTECT"):
            token_data["csrf"] = str(uuid.uuid4())
        if self.setting("JWT_ENCODE_AUDIENCE"):
            token_data["aud"] = self.setting("JWT_ENCODE_AUDIENCE")
        if self.setting("JWT_ENCODE_ISSUER"):
            token_data["iss"] = self.setting("JWT_ENCODE_ISSUER")
        if expires_delta:
            token_data["exp"] = now + expires_delta
        if claims:
            token_data.update(claims)
        return jwt.encode(
            token_data,
            self._key("JWT_PRIVATE_KEY"),
            self.setting("JWT_ALGORITHM"),
            json_encoder=_FlaskJSONEncoder,
            headers=dict(headers or {}),
        )

    def decode(self, encoded_token: str) -> dict[str, Any]:
        """JWTManager._decode_jwt_from_config and tokens._decode_jwt (no CSRF value: the token is a header's)."""
        jwt.decode(
            encoded_token,
            algorithms=self._algorithms(),
            options={"verify_signature": False},
        )
        jwt.get_unverified_header(encoded_token)
        audience = self.setting("JWT_DECODE_AUDIENCE")
        options: Any = {
            "verify_aud": audience is not None,
            "verify_sub": self.setting("JWT_VERIFY_SUB"),
        }
        decoded_token = jwt.decode(
            encoded_token,
            self._key("JWT_PUBLIC_KEY"),
            algorithms=self._algorithms(),
            audience=audience,
            issuer=self.setting("JWT_DECODE_ISSUER"),
            leeway=self.setting("JWT_DECODE_LEEWAY"),
            options=options,
        )
        identity_claim_key = self.setting("JWT_IDENTITY_CLAIM")
        if identity_claim_key not in decoded_token:
            raise _Invalid(f"Missing claim: {identity_claim_key}")
        decoded_token.setdefault("type", "access")
        decoded_token.setdefault("fresh", False)
        decoded_token.setdefault("jti", None)
        return decoded_token

    def answer(self, message: str, status: int) -> Response:
        """Flask-JWT-Extended's default callbacks: `jsonify({JWT_ERROR_MESSAGE_KEY: message}), status`, as Flask's
        jsonify writes it (compact, sorted keys, ASCII, a newline at the end)."""
        body = json.dumps(
            {self.setting("JWT_ERROR_MESSAGE_KEY"): message},
            separators=(",", ":"),
            sort_keys=True,
        )
        return Response(body + "\n", status_code=status, media_type="application/json")


class _Unauthorized(Exception):
    """NoAuthorizationError: 401 with its message."""


class _Invalid(Exception):
    """InvalidHeaderError, JWTDecodeError, WrongTokenError: 422 with its message."""


class _NotFresh(Exception):
    """FreshTokenRequired: 401 "Fresh token required"."""


def _get_manager() -> JWTManager:
    if _manager is None:
        raise RuntimeError(
            "You must initialize a JWTManager with this flask application before using this method"
        )
    return _manager


def _http_date(value: date) -> str:
    """werkzeug.http.http_date."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(), tzinfo=timezone.utc)
    elif value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    else:
        value = value.astimezone(timezone.utc)
    return format_datetime(value, usegmt=True)


class _FlaskJSONEncoder(json.JSONEncoder):
    """The encoder Flask-JWT-Extended gives PyJWT: Flask's default JSON provider's `default`."""

    def default(self, o: Any) -> Any:
        if isinstance(o, date):
            return _http_date(o)
        if isinstance(o, (decimal.Decimal, uuid.UUID)):
            return str(o)
        if dataclasses.is_dataclass(o) and not isinstance(o, type):
            return dataclasses.asdict(o)
        if hasattr(o, "__html__"):
            return str(o.__html__())
        raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")


def create_access_token(
    identity: Any,
    fresh: Any = False,
    expires_delta: Any = None,
    additional_claims: Any = None,
    additional_headers: Any = None,
) -> str:
    return _get_manager().encode(
        identity, "access", additional_claims, fresh, expires_delta, additional_headers
    )


def create_refresh_token(
    identity: Any,
    expires_delta: Any = None,
    additional_claims: Any = None,
    additional_headers: Any = None,
) -> str:
    return _get_manager().encode(
        identity, "refresh", additional_claims, False, expires_delta, additional_headers
    )


def get_jwt() -> dict[str, Any]:
    claims = _verified.get()
    if claims is None:
        raise RuntimeError(
            "You must call `@jwt_required()` or `verify_jwt_in_request()` before using this method"
        )
    return claims


def get_jwt_identity() -> Any:
    return get_jwt().get(_get_manager().setting("JWT_IDENTITY_CLAIM"), None)


def _token_from_headers(manager: JWTManager, request: Request) -> str:
    """view_decorators._decode_jwt_from_headers."""
    header_name = manager.setting("JWT_HEADER_NAME")
    header_type = manager.setting("JWT_HEADER_TYPE")
    if not header_name:
        raise RuntimeError("JWT_ACCESS_HEADER_NAME cannot be empty")
    auth_header = request.headers.get(header_name, "").strip().strip(",")
    if not auth_header:
        raise _Unauthorized(f"Missing {header_name} Header")
    if header_type:
        field_values = re.split(r",\s*", auth_header)
        jwt_headers = [s for s in field_values if s and s.split()[0] == header_type]
        if len(jwt_headers) != 1:
            raise _Unauthorized(
                f"Missing '{header_type}' type in '{header_name}' header. "
                f"Expected '{header_name}: {header_type} <JWT>'"
            )
        parts = jwt_headers[0].split()
        if len(parts) != 2:
            raise _Invalid(
                f"Bad {header_name} header. Expected '{header_name}: {header_type} <JWT>'"
            )
        return parts[1]
    parts = auth_header.split()
    if len(parts) != 1:
        raise _Invalid(f"Bad {header_name} header. Expected '{header_name}: <JWT>'")
    return parts[0]


def _verify(
    request: Request, optional: bool, fresh: bool, refresh: bool, verify_type: bool
) -> dict[str, Any] | Response:
    """verify_jwt_in_request: the claims ({} when optional and there is no token), or the error's answer."""
    manager = _get_manager()
    try:
        try:
            claims = manager.decode(_token_from_headers(manager, request))
        except _Unauthorized:
            if not optional:
                raise
            return {}
        if verify_type and not refresh and claims["type"] == "refresh":
            raise _Invalid("Only non-refresh tokens are allowed")
        if verify_type and refresh and claims["type"] != "refresh":
            raise _Invalid("Only refresh tokens are allowed")
        if fresh:
            token_fresh = claims["fresh"]
            if token_fresh is False or (
                not isinstance(token_fresh, bool)
                and token_fresh < datetime.timestamp(datetime.now(timezone.utc))
            ):
                raise _NotFresh
        return claims
    except _Unauthorized as error:
        return manager.answer(str(error), 401)
    except jwt.ExpiredSignatureError:
        return manager.answer("Token has expired", 401)
    except _NotFresh:
        return manager.answer("Fresh token required", 401)
    except (_Invalid, jwt.InvalidTokenError) as error:
        return manager.answer(str(error), 422)


def jwt_required(
    optional: bool = False,
    fresh: bool = False,
    refresh: bool = False,
    verify_type: bool = True,
    skip_revocation_check: bool = False,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """flask_jwt_extended.jwt_required, for tokens in the headers and without a blocklist."""

    def wrapper(view: Callable[..., Any]) -> Callable[..., Any]:
        if inspect.iscoroutinefunction(view):

            @functools.wraps(view)
            async def guarded_async(*args: Any, **kwargs: Any) -> Any:
                request = kwargs.pop(_REQUEST)
                if request.method == "OPTIONS":  # Flask-JWT-Extended's exempt method
                    return await view(*args, **kwargs)
                claims = _verify(request, optional, fresh, refresh, verify_type)
                if isinstance(claims, Response):
                    return claims
                token = _verified.set(claims)
                try:
                    return await view(*args, **kwargs)
                finally:
                    _verified.reset(token)

            return _asking_for_the_request(guarded_async, view)

        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            request = kwargs.pop(_REQUEST)
            if request.method == "OPTIONS":
                return view(*args, **kwargs)
            claims = _verify(request, optional, fresh, refresh, verify_type)
            if isinstance(claims, Response):
                return claims
            token = _verified.set(claims)
            try:
                return view(*args, **kwargs)
            finally:
                _verified.reset(token)

        return _asking_for_the_request(guarded, view)

    return wrapper


def _asking_for_the_request(
    wrapper: Callable[..., Any], view: Callable[..., Any]
) -> Callable[..., Any]:
    """The view's signature and `_jwt_request: Request` (keyword-only), where FastAPI reads it."""
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
