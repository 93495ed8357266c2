from fastapi import FastAPI, Request
from starlette.middleware.sessions import SessionMiddleware

app = FastAPI()
app.add_middleware(SessionMiddleware, secret_key="change-me", path="/shop")


@app.post("/shop/login")
def login(request: Request):
    request.session["user"] = "ada"
    return {"ok": True}


@app.get("/shop/me")
def me(request: Request):
    return {"user": request.session.get("user")}


@app.get("/help")
def help_page(request: Request):
    return {"user": request.session.get("user")}
