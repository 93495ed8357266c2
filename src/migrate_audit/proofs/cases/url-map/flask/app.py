from flask import Blueprint, Flask, Response

bp = Blueprint("books", __name__, url_prefix="/books")


@bp.get("/")
def index():
    return {"books": ["Dune"]}


@bp.get("/<int:book_id>")
def detail(book_id):
    return {"id": book_id}


app = Flask(__name__)
app.register_blueprint(bp)


@app.get("/about")
def about():
    return {"about": "A bookshop"}


@app.get("/sitemap.txt")
def sitemap():
    paths = sorted(rule.rule for rule in app.url_map.iter_rules()
                   if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static")
    return Response("\n".join(paths), mimetype="text/plain")
