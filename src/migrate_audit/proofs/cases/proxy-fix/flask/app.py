from flask import Flask, request, url_for
from werkzeug.middleware.proxy_fix import ProxyFix

app = Flask(__name__)
app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)


@app.get("/whoami")
def whoami():
    return {"client": request.remote_addr, "scheme": request.scheme, "url": url_for("whoami", _external=True)}
