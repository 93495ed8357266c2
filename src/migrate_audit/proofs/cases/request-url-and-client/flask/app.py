from flask import Flask, request

app = Flask(__name__)


@app.get("/books")
def books():
    page = request.args.get("page", 1, type=int)
    return {
        "self": request.url,
        "next": f"{request.base_url}?page={page + 1}",
        "path": request.path,
        "login_next": request.full_path,
        "home": request.url_root,
        "host": request.host,
        "secure": request.is_secure,
    }


@app.get("/whoami")
def whoami():
    return {"ip": request.remote_addr}
