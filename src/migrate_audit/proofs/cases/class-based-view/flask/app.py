from functools import wraps

from flask import Flask, abort, request
from flask.views import MethodView

app = Flask(__name__)
REVIEWS = {1: ["A classic."]}


def token_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if request.headers.get("X-Token") != "s3cret":
            abort(401)
        return view(*args, **kwargs)
    return wrapper


class ReviewAPI(MethodView):
    decorators = [token_required]

    def get(self, book_id):
        return {"book": book_id, "reviews": REVIEWS.get(book_id, [])}

    def post(self, book_id):
        REVIEWS.setdefault(book_id, []).append(request.get_json()["text"])
        return {"book": book_id, "reviews": REVIEWS[book_id]}


app.add_url_rule("/books/<int:book_id>/reviews", view_func=ReviewAPI.as_view("reviews"))
