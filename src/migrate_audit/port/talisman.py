"""Flask-Talisman -> a middleware written into the module that answers as Talisman's hooks did.

`Talisman(app, ...)` registers a before_request hook that redirects a request not over HTTPS (nor saying
`X-Forwarded-Proto: https`) to the same URL over HTTPS, 302 (301 with `force_https_permanent`), and an
after_request hook that sets its headers on every answer, the redirect included: Permissions-Policy,
X-Frame-Options, X-Content-Type-Options, Content-Security-Policy, Referrer-Policy (and the optional ones), and
Strict-Transport-Security on answers over HTTPS (flask_talisman/talisman.py, 1.1). Starlette has no middleware
that does this with these values and this status (HTTPSRedirectMiddleware answers 307, the `secure` package has
other defaults), so the port writes `TalismanHeaders` into the module, given the header values the port computes
from Talisman's literal options as Talisman computes them (`_parse_policy`, `_set_*_headers`).

Left to people (the site keeps its TODO): options that are not literals, CSP nonces (`content_security_policy
_nonce_in`, the `csp_nonce` template global: a module that renders templates), the object kept for per-view
`@talisman(...)` options, a module using Flask's session, whose cookie settings Talisman changes in the
config (Secure, HttpOnly, SameSite=Lax), and a module with Flask-CORS too: Flask ran both extensions'
after_request on every answer, Talisman's redirect and the CORS preflights included, where CORSMiddleware answers
preflights itself, so no order of the two middlewares gives both answers both sets of headers.

What differs, in the TODO: in debug mode (FLASK_DEBUG) Talisman did not redirect; an error no handler answers
gets Starlette's 500, outside the middleware, without the headers (Flask ran after_request on its 500); the
redirect has no HTML body (RedirectResponse, as the port writes Flask's redirect everywhere).
"""
from __future__ import annotations

import json
import re
from collections import OrderedDict

from . import in_front
from .edits import NotPortable, PortedFile, Site
from .routes import arguments

NAME = "TalismanHeaders"
_CORS = re.compile(r"^\s*(?:\w+\s*=\s*)?CORS\(", re.MULTILINE)
MIDDLEWARE = f'''
class {NAME}:
    """Flask-Talisman's answers (written by `migrate-audit port`): a request not over HTTPS, nor saying
    X-Forwarded-Proto: https, is redirected to HTTPS; every answer gets the headers, HSTS those over HTTPS."""

    def __init__(
        self,
        app: ASGIApp,
        headers: dict[str, str],
        hsts: str | None,
        redirect: int | None,
    ) -> None:
        self.app, self.headers, self.hsts, self.redirect = app, headers, hsts, redirect

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        secure = (
            scope["scheme"] == "https"
            or Headers(scope=scope).get("x-forwarded-proto", "http") == "https"
        )

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers[name] = value
                if secure and self.hsts:
                    headers["Strict-Transport-Security"] = self.hsts
            await send(message)

        url = str(URL(scope=scope))
        if self.redirect and not secure and url.startswith("http://"):
            response = RedirectResponse(
                "https://" + url[len("http://") :], status_code=self.redirect
            )
            await response(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)
'''
DIFFERS = ("Differs from Flask-Talisman: in debug mode (FLASK_DEBUG) it did not redirect to HTTPS; an error no "
           "handler answers gets Starlette's 500 without these headers; the redirect has no HTML body.")
# Talisman's init_app keywords and defaults (1.1)
DEFAULTS: dict[str, object] = {
    "feature_policy": {}, "permissions_policy": {"browsing-topics": "()"}, "document_policy": {},
    "force_https": True, "force_https_permanent": False, "force_file_save": False, "frame_options": "SAMEORIGIN",
    "frame_options_allow_from": None, "strict_transport_security": True, "strict_transport_security_preload": False,
    "strict_transport_security_max_age": 31556926, "strict_transport_security_include_subdomains": True,
    "content_security_policy": {"default-src": "'self'", "object-src": "'none'"},
    "content_security_policy_report_uri": None, "content_security_policy_report_only": False,
    "content_security_policy_nonce_in": None, "referrer_policy": "strict-origin-when-cross-origin",
    "session_cookie_secure": True, "session_cookie_http_only": True, "session_cookie_samesite": "Lax",
    "x_content_type_options": True, "x_xss_protection": False}


def port_talisman(file: PortedFile, site: Site, apps: set[str], templates: bool) -> None:
    """`Talisman(app, ...)` at the top of the module -> `app.add_middleware(TalismanHeaders, ...)`;
    `templates`: the module renders templates (where Talisman's `csp_nonce` global may be called)."""
    from .extensions import literal_value, made_by, replaced  # (extensions.py dispatches here)

    call = made_by(site)
    if call is None:
        raise NotPortable("not a call of Talisman")
    target = replaced(file, call, "Talisman")
    positional, keywords = arguments(call)
    if len(positional) != 1 or positional[0].kind() != "identifier" or positional[0].text() not in apps:
        raise NotPortable("Talisman() not given this module's app")
    options = dict(DEFAULTS)
    for name, value in keywords.items():
        if name not in DEFAULTS:
            raise NotPortable(f"{name} is no Talisman option")
        options[name] = literal_value(value, f"{name}=")
    if options["content_security_policy_nonce_in"] or templates or "csp_nonce" in file.text:
        raise NotPortable("CSP nonces and the csp_nonce template global have no counterpart written here")
    if "session" in file.text or "secret_key" in file.text.lower():
        raise NotPortable("Talisman changes the session cookie's settings in Flask's config")
    if _CORS.search(file.text):
        raise NotPortable("with Flask-CORS, Flask gave Talisman's redirect the CORS headers and the preflights "
                          "Talisman's: CORSMiddleware answers preflights itself, so no order of the two middlewares "
                          "does both")
    headers, hsts, redirect = header_values(options)
    file.use("fastapi.responses", "RedirectResponse")
    file.use("starlette.datastructures", "URL", "Headers", "MutableHeaders")
    file.use("starlette.types", "ASGIApp", "Message", "Receive", "Scope", "Send")
    file.definitions[NAME] = MIDDLEWARE
    app = positional[0].text()
    keywords = ["headers={\n" + "".join(f"        {json.dumps(name)}: {json.dumps(value)},\n" for name, value in headers.items())
                + "    }", f"hsts={json.dumps(hsts) if hsts else None}", f"redirect={redirect}"]
    lines = [f"{app}.add_middleware(", f"    {NAME},", *(f"    {keyword}," for keyword in keywords), ")"]
    in_front.record(file, target, "Flask-Talisman", NAME, keywords, {
        "fastapi.responses": {"RedirectResponse"}, "starlette.datastructures": {"URL", "Headers", "MutableHeaders"},
        "starlette.types": {"ASGIApp", "Message", "Receive", "Scope", "Send"}}, MIDDLEWARE, module="flask_talisman")
    file.replace(target, "\n".join(lines))
    file.todo(site, DIFFERS)
    site.handled = True
    for other in file.sites:
        if other.node.kind() == "import_from_statement" and other.node.field("module_name").text() == "flask_talisman":  # type: ignore[union-attr]
            other.handled = True
            if other.node.text().split(" import ", 1)[1].strip() == "Talisman":
                file.delete_statement(other.node)


def header_values(options: dict[str, object]) -> tuple[dict[str, str], str | None, int | None]:
    """The headers Talisman's after_request sets (in its order), its HSTS value for HTTPS answers, and the
    status of its HTTPS redirect (None: no redirect), from its options as `_set_*_headers` compute them."""
    headers: dict[str, str] = {}
    if options["feature_policy"]:
        headers["Feature-Policy"] = _policy(options["feature_policy"])
    if options["permissions_policy"]:
        headers["Permissions-Policy"] = _structured(options["permissions_policy"])
    if options["document_policy"]:
        headers["Document-Policy"] = _structured(options["document_policy"])
    frame = options["frame_options"]
    if frame:
        if not isinstance(frame, str):
            raise NotPortable("frame_options is not a string")
        headers["X-Frame-Options"] = frame + (f" {options['frame_options_allow_from']}" if frame == "ALLOW-FROM" else "")
    if options["x_xss_protection"]:
        headers["X-XSS-Protection"] = "1; mode=block"
    if options["x_content_type_options"]:
        headers["X-Content-Type-Options"] = "nosniff"
    if options["force_file_save"]:
        headers["X-Download-Options"] = "noopen"
    if options["content_security_policy"]:
        policy = _policy(options["content_security_policy"])
        report = options["content_security_policy_report_uri"]
        if report and "report-uri" not in policy:
            policy += f"; report-uri {report}"
        if options["content_security_policy_report_only"] and report is None:
            raise NotPortable("content_security_policy_report_only without a report URI: Talisman refuses it")
        headers["Content-Security-Policy" + ("-Report-Only" if options["content_security_policy_report_only"] else "")] = policy
    hsts = None
    if options["strict_transport_security"]:
        hsts = f"max-age={options['strict_transport_security_max_age']}"
        hsts += "; includeSubDomains" if options["strict_transport_security_include_subdomains"] else ""
        hsts += "; preload" if options["strict_transport_security_preload"] else ""
    if not isinstance(options["referrer_policy"], str):
        raise NotPortable("referrer_policy is not a string")
    headers["Referrer-Policy"] = options["referrer_policy"]
    redirect = (301 if options["force_https_permanent"] else 302) if options["force_https"] else None
    return headers, hsts, redirect


def _policy(policy: object) -> str:
    """Talisman's `_parse_policy` without nonces: a dict, or a string it splits and joins again."""
    if isinstance(policy, str):
        parsed: dict[str, object] = OrderedDict()
        for part in policy.split(";"):
            pieces = part.strip().split(" ")
            parsed[pieces[0]] = " ".join(pieces[1:])
        policy = parsed
    if not isinstance(policy, dict):
        raise NotPortable("a policy that is neither a dict nor a string")
    if not all(isinstance(content, str) or isinstance(content, (list, tuple)) and
               all(isinstance(part, str) for part in content) for content in policy.values()):
        raise NotPortable("a policy whose sources are not strings")
    return "; ".join(f"{section} {content if isinstance(content, str) else ' '.join(content)}"
                     for section, content in policy.items())


def _structured(policy: object) -> str:
    if isinstance(policy, str):
        return policy
    if not isinstance(policy, dict):
        raise NotPortable("a policy that is neither a dict nor a string")
    return ", ".join(f"{section}={content}" for section, content in policy.items())
