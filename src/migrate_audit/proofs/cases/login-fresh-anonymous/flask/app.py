from flask import Flask
from flask_login import LoginManager, UserMixin, current_user, fresh_login_required, login_user

app = Flask(__name__)
app.secret_key = "change-me"
login_manager = LoginManager(app)


class User(UserMixin):
    def __init__(self, user_id):
        self.id = user_id


@login_manager.user_loader
def load_user(user_id):
    return User(user_id)


@login_manager.request_loader
def user_from_api_key(request):
    return User("alice") if request.headers.get("X-Api-Key") == "k-alice" else None


@app.post("/login")
def login():
    login_user(User("alice"))  # after checking the password
    return {"ok": True}


@app.get("/hello")
def hello():
    return {"hello": current_user.id if current_user.is_authenticated else "guest"}


@app.post("/password")
@fresh_login_required
def change_password():
    return {"changed": current_user.id}
