import os

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask import send_from_directory
from flask_login import current_user, login_required
from injector import inject
from werkzeug.utils import secure_filename

from ..extensions import db
from ..models import Book
from ..services import PriceCalculator
from ..tasks import enqueue_catalogue_export
from . import bp

ALLOWED_COVER_EXTENSIONS = {"jpg", "jpeg", "png", "webp"}
SORTS = {"title": Book.title, "newest": Book.published_year.desc(), "author": Book.author}


@bp.route("/")
def index():
    page = request.args.get("page", 1, type=int)
    sort = request.args.get("sort", "title")
    books = Book.query.order_by(SORTS.get(sort, Book.title)).paginate(
        page=page, per_page=current_app.config["BOOKS_PER_PAGE"]
    )
    return render_template("catalog/index.html", books=books, sort=sort, shelf=None)


@bp.route("/shelves/<path:subpath>")
def shelf(subpath):
    # Categories are stored as paths, e.g. "fiction/science-fiction".
    page = request.args.get("page", 1, type=int)
    books = Book.query.filter(Book.category.startswith(subpath.strip("/"))).order_by(Book.title)
    books = books.paginate(page=page, per_page=current_app.config["BOOKS_PER_PAGE"])
    return render_template("catalog/index.html", books=books, sort="title", shelf=subpath)


@bp.route("/books/<int:book_id>")
@inject
def detail(book_id, pricing: PriceCalculator):
    book = Book.query.get_or_404(book_id)
    quote = pricing.quote(book.price_cents)
    return render_template("catalog/detail.html", book=book, quote=quote)


def _cover_extension(filename):
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


@bp.route("/books/<int:book_id>/cover", methods=["GET", "POST"])
def cover(book_id):
    book = Book.query.get_or_404(book_id)
    upload_dir = current_app.config["COVER_UPLOAD_DIR"]

    if request.method == "POST":
        if not (current_user.is_authenticated and current_user.is_admin):
            abort(403)
        upload = request.files["cover"]
        filename = secure_filename(upload.filename or "")
        if _cover_extension(filename) not in ALLOWED_COVER_EXTENSIONS:
            flash("Covers must be JPEG, PNG or WebP images.", "error")
            return redirect(url_for("catalog.detail", book_id=book.id))
        os.makedirs(upload_dir, exist_ok=True)
        stored_name = f"{book.id}-{filename}"
        upload.save(os.path.join(upload_dir, stored_name))
        book.cover_filename = stored_name
        db.session.commit()
        flash("Cover updated.")
        return redirect(url_for("catalog.detail", book_id=book.id, _anchor="cover"))

    if not book.cover_filename:
        abort(404)
    download_name = f"{book.isbn}.{_cover_extension(book.cover_filename)}"
    return send_from_directory(upload_dir, book.cover_filename, as_attachment=True,
                               download_name=download_name)


@bp.route("/export", methods=["POST"])
@login_required
def export():
    if not current_user.is_admin:
        abort(403)
    job = enqueue_catalogue_export(requested_by=current_user.email)
    flash(f"Export queued (job {job.id}). You will find it in the exports folder.")
    return redirect(url_for("catalog.index", sort=request.form.get("sort", "title")))


@bp.route("/health")
def health():
    return "ok"
