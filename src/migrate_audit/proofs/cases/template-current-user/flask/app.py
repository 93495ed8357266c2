from dataclasses import dataclass

from flask import Flask, render_template, request
from flask_login import LoginManager, UserMixin

app = Flask(__name__)
app.secret_key = "dev"
login_manager = LoginManager(app)


@dataclass
class User(UserMixin):
    id: str
    name: str


@login_manager.request_loader
def user_from_header(req):
    token = req.headers.get("Authorization", "")
    return User(id="1", name="Ann") if token == "Bearer ann-token" else None


@app.get("/")
def index():
    return render_template("index.html")
