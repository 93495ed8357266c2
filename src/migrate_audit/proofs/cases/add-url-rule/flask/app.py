from flask import Flask

app = Flask(__name__)
PAGES = {"about": "We sell second-hand books.", "terms": "Books are sold as seen."}


def page(name):
    return {"page": name, "text": PAGES[name]}


def ping():
    return {"ok": True}


app.add_url_rule("/ping", view_func=ping)
for name in PAGES:
    app.add_url_rule(f"/{name}", endpoint=name, view_func=page, defaults={"name": name})
