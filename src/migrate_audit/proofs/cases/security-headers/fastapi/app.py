from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from secure import (ContentSecurityPolicy, PermissionsPolicy, ReferrerPolicy, Secure, StrictTransportSecurity,
                    XContentTypeOptions, XFrameOptions)
from secure.middleware import SecureASGIMiddleware
from starlette.middleware.httpsredirect import HTTPSRedirectMiddleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

# Flask-Talisman's defaults, spelled out.
security_headers = Secure(
    csp=ContentSecurityPolicy().default_src("'self'").object_src("'none'"),
    hsts=StrictTransportSecurity().max_age(31556926).include_subdomains(),
    xfo=XFrameOptions().sameorigin(),
    xcto=XContentTypeOptions(),
    referrer=ReferrerPolicy().strict_origin_when_cross_origin(),
    permissions=PermissionsPolicy().add_directive("browsing-topics"),
)

app = FastAPI()
app.add_middleware(SecureASGIMiddleware, secure=security_headers)
app.add_middleware(HTTPSRedirectMiddleware)  # Talisman's force_https
app.add_middleware(ProxyHeadersMiddleware, trusted_hosts="*")  # X-Forwarded-Proto, as Talisman read it


@app.get("/", response_class=HTMLResponse)
def index():
    return "<h1>Shop</h1>"
