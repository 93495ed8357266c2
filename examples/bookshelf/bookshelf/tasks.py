import csv
import logging
import os
from datetime import datetime, timezone

from flask import current_app, g, has_app_context
from redis import Redis
from rq import Queue

from .config import get_config
from .extensions import celery, db
from .models import Book, Review

log = logging.getLogger(__name__)

# The worker imports this module directly (celery -A bookshelf.tasks), before any app exists.
celery.conf.update(get_config().CELERY)

_app = None


def _flask_app():
    global _app
    if has_app_context():
        return current_app._get_current_object()
    if _app is None:
        from . import create_app  # deferred: the blueprints import this module

        _app = create_app()
    return _app


def get_redis():
    if "redis" not in g:
        g.redis = Redis.from_url(current_app.config["REDIS_URL"])
    return g.redis


@celery.task(ignore_result=True)
def notify_new_review(review_id):
    app = _flask_app()
    with app.app_context():
        review = db.session.get(Review, review_id)
        if review is not None:
            # TODO: send a mail once the SMTP relay is provisioned.
            log.info("new %d-star review of %r", review.rating, review.book.title)


@celery.task
def purge_orphan_covers():
    app = _flask_app()
    with app.app_context():
        in_use = {name for (name,) in db.session.query(Book.cover_filename) if name}
        upload_dir = app.config["COVER_UPLOAD_DIR"]
        stale = [name for name in os.listdir(upload_dir) if name not in in_use]
        for name in stale:
            os.remove(os.path.join(upload_dir, name))
        return len(stale)


def export_catalogue_csv(requested_by):
    """Runs on the RQ "exports" worker, outside any request."""
    app = _flask_app()
    with app.app_context():
        os.makedirs(app.config["EXPORT_DIR"], exist_ok=True)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
        path = os.path.join(app.config["EXPORT_DIR"], f"catalogue-{stamp}.csv")
        with open(path, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["isbn", "title", "author", "category", "year", "price_cents"])
            for book in Book.query.order_by(Book.title).yield_per(500):
                writer.writerow([book.isbn, book.title, book.author, book.category,
                                 book.published_year, book.price_cents])
        log.info("catalogue export for %s written to %s", requested_by, path)
        return path


def enqueue_catalogue_export(requested_by):
    queue = Queue("exports", connection=get_redis())
    return queue.enqueue(export_catalogue_csv, requested_by, job_timeout=600)
