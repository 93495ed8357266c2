from flask import Flask, session
from flask.sessions import SecureCookieSessionInterface


class ShopSessionInterface(SecureCookieSessionInterface):
    def get_cookie_path(self, app):
        return "/shop"


app = Flask(__name__)
app.secret_key = "change-me"
app.session_interface = ShopSessionInterface()


@app.post("/shop/login")
def login():
    session["user"] = "ada"
    return {"ok": True}


@app.get("/shop/me")
def me():
    return {"user": session.get("user")}


@app.get("/help")
def help_page():
    return {"user": session.get("user")}
