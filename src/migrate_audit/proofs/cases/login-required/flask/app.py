from flask import Flask, request
from flask_login import LoginManager, UserMixin, current_user, login_required, login_user, logout_user

app = Flask(__name__)
app.secret_key = "change-me"
login_manager = LoginManager(app)

USERS = {"ada": {"name": "Ada Lovelace", "password": "analytical-engine"}}


class User(UserMixin):
    def __init__(self, username):
        self.id = username
        self.name = USERS[username]["name"]


@login_manager.user_loader
def load_user(user_id):
    return User(user_id) if user_id in USERS else None


@login_manager.unauthorized_handler
def unauthorized():
    return {"error": "login required"}, 401


@app.post("/login")
def login():
    data = request.get_json()
    record = USERS.get(data["username"])
    if record is None or record["password"] != data["password"]:
        return {"error": "bad credentials"}, 401
    login_user(User(data["username"]))
    return {"name": current_user.name}


@app.post("/logout")
@login_required
def logout():
    logout_user()
    return {"logged_out": True}


@app.get("/account")
@login_required
def account():
    return {"name": current_user.name}
