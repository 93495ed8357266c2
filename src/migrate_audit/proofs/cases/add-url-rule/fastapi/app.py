from functools import partial

from fastapi import FastAPI

app = FastAPI()
PAGES = {"about": "We sell second-hand books.", "terms": "Books are sold as seen."}


def page(name: str):
    return {"page": name, "text": PAGES[name]}


def ping():
    return {"ok": True}


app.add_api_route("/ping", ping, methods=["GET"])
for name in PAGES:
    # Flask's `defaults=` has no counterpart: bind the value into the endpoint instead.
    app.add_api_route(f"/{name}", partial(page, name), methods=["GET"], name=name)
