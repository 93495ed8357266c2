from flask import abort, current_app, jsonify, request, url_for
from flask.views import MethodView
from flask_login import current_user, login_required
from flask_pydantic import validate

from ..extensions import db
from ..models import Book
from ..schemas import BookQuery, BookSearchResult, BookSummary
from ..schemas import book_schema, books_schema, review_schema, reviews_schema
from ..tasks import notify_new_review
from . import bp


@bp.get("/books")
def list_books():
    page = request.args.get("page", 1, type=int)
    per_page = current_app.config["BOOKS_PER_PAGE"]
    pagination = Book.query.order_by(Book.title).paginate(page=page, per_page=per_page)
    return jsonify(items=books_schema.dump(pagination.items), page=page, total=pagination.total)


@bp.post("/books")
@login_required
def create_book():
    payload = request.get_json()
    if not isinstance(payload, dict):
        abort(400)
    book = book_schema.load(payload)
    db.session.add(book)
    db.session.commit()
    return jsonify(book_schema.dump(book)), 201


@bp.get("/books/<int:book_id>")
def get_book(book_id):
    book = db.session.get(Book, book_id)
    if book is None:
        abort(404)
    return jsonify(book_schema.dump(book))


@bp.get("/search")
@validate()
def search_books(query: BookQuery):
    books = Book.query
    if query.q:
        books = books.filter(Book.title.ilike(f"%{query.q}%"))
    if query.author:
        books = books.filter(Book.author.ilike(f"%{query.author}%"))
    if query.year_from:
        books = books.filter(Book.published_year >= query.year_from)
    page = books.order_by(Book.title).paginate(page=query.page, per_page=query.per_page)
    items = [BookSummary.model_validate(book) for book in page.items]
    return BookSearchResult(items=items, page=query.page, total=page.total)


class ReviewAPI(MethodView):
    def get(self, book_id):
        book = Book.query.get_or_404(book_id)
        return jsonify(reviews_schema.dump(book.reviews))

    def post(self, book_id):
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        book = Book.query.get_or_404(book_id)
        data = request.get_json(silent=True) or {}
        data.update(book_id=book.id, user_id=current_user.id)
        review = review_schema.load(data)
        db.session.add(review)
        db.session.commit()
        notify_new_review.delay(review.id)
        location = url_for("api.book_reviews", book_id=book.id, _external=True)
        return jsonify(review_schema.dump(review)), 201, {"Location": location}


bp.add_url_rule("/books/<int:book_id>/reviews", view_func=ReviewAPI.as_view("book_reviews"))
