from flask import Flask
from flask_talisman import Talisman

app = Flask(__name__)
Talisman(app)


@app.get("/")
def index():
    return "<h1>Shop</h1>"
