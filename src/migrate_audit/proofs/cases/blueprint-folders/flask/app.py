from flask import Blueprint, Flask, render_template

admin = Blueprint("admin", __name__, template_folder="admin_templates", static_folder="admin_static",
                  static_url_path="/static")


@admin.get("/")
def dashboard():
    return render_template("admin/dashboard.html", count=3)


app = Flask(__name__)
app.register_blueprint(admin, url_prefix="/admin")


@app.get("/")
def home():
    return render_template("home.html")
