import pytest

from bookshelf import create_app
from bookshelf.extensions import db as _db
from bookshelf.models import Book, User


@pytest.fixture()
def app():
    app = create_app("testing")
    with app.app_context():
        _db.create_all()
        reader = User(email="reader@example.com", display_name="Reader")
        reader.set_password("correct horse")
        _db.session.add_all([
            reader,
            Book(isbn="9780441013593", title="Dune", author="Frank Herbert",
                 category="fiction/science-fiction", published_year=1965, price_cents=1099),
            Book(isbn="9780547928227", title="The Hobbit", author="J. R. R. Tolkien",
                 category="fiction/fantasy", published_year=1937, price_cents=899),
            Book(isbn="9780262033848", title="Introduction to Algorithms", author="Cormen et al.",
                 category="computing", published_year=2009, price_cents=8900),
        ])
        _db.session.commit()
        yield app
        _db.session.remove()
        _db.drop_all()


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def reader_client(client):
    client.post("/auth/login", data={"email": "reader@example.com", "password": "correct horse"})
    return client
