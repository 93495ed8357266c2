from flask import Flask, render_template, request
from flask_babel import Babel


def get_locale():
    return request.accept_languages.best_match(["en", "fr"])


app = Flask(__name__)
babel = Babel(app, locale_selector=get_locale)


@app.get("/")
def index():
    return render_template("index.html", count=3)
