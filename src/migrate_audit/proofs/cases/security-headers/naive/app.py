from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from secure import Secure
from secure.middleware import SecureASGIMiddleware
from starlette.middleware.httpsredirect import HTTPSRedirectMiddleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

app = FastAPI()
app.add_middleware(SecureASGIMiddleware, secure=Secure.with_default_headers())
app.add_middleware(HTTPSRedirectMiddleware)
app.add_middleware(ProxyHeadersMiddleware, trusted_hosts="*")


@app.get("/", response_class=HTMLResponse)
def index():
    return "<h1>Shop</h1>"
