from flask import Flask, request
from flask_babel import Babel, format_decimal, get_locale, gettext

LANGUAGES = ["en", "fr", "de"]


def select_locale():
    return request.args.get("lang") or request.accept_languages.best_match(LANGUAGES)


app = Flask(__name__)
babel = Babel(app, locale_selector=select_locale)


@app.get("/")
def index():
    return {"locale": str(get_locale()), "greeting": gettext("Welcome"), "price": format_decimal(1234.5)}
