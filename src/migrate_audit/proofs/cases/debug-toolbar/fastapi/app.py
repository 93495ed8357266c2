import os

from debug_toolbar.middleware import DebugToolbarMiddleware
from fastapi import FastAPI
from fastapi.responses import HTMLResponse

app = FastAPI(debug=os.environ.get("APP_DEBUG") == "1")  # the toolbar shows only when app.debug is set
app.add_middleware(DebugToolbarMiddleware)


@app.get("/", response_class=HTMLResponse)
def index():
    return "<html><body><h1>Shop</h1></body></html>"


@app.get("/api/status")
def status():
    return {"ok": True}
