from flask import Blueprint, Flask

api = Blueprint("api", __name__, url_prefix="/api")


@api.get("/books")
def list_books():
    return ["Dune", "Emma"]


@api.after_request
def no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


app = Flask(__name__)
app.register_blueprint(api)


@app.get("/")
def home():
    return "<h1>Bookshelf</h1>"
