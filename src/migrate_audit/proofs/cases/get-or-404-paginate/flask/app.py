from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
db = SQLAlchemy(app)


class Book(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)


with app.app_context():
    db.create_all()
    db.session.add_all(Book(title=t) for t in ("Dune", "Emma", "Ulysses", "Beloved", "Middlemarch"))
    db.session.commit()


@app.get("/books/<int:book_id>")
def get_book(book_id):
    book = db.get_or_404(Book, book_id)
    return {"id": book.id, "title": book.title}


@app.get("/books")
def list_books():
    page = db.paginate(db.select(Book).order_by(Book.id), max_per_page=3)
    return {"items": [b.title for b in page.items], "page": page.page, "pages": page.pages, "total": page.total}
