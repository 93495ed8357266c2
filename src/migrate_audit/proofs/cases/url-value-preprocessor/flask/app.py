from flask import Blueprint, Flask, g, url_for

bp = Blueprint("pages", __name__, url_prefix="/<lang>")


@bp.url_value_preprocessor
def pull_lang(endpoint, values):
    g.lang = values.pop("lang")


@bp.url_defaults
def add_lang(endpoint, values):
    values.setdefault("lang", g.lang)


@bp.get("/about")
def about():
    return {"lang": g.lang, "contact": url_for("pages.contact")}


@bp.get("/contact")
def contact():
    return {"lang": g.lang}


app = Flask(__name__)
app.register_blueprint(bp)
