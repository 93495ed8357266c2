from flask import Flask, request
from flask_marshmallow import Marshmallow
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
db = SQLAlchemy(app)
ma = Marshmallow(app)


class Book(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    year = db.Column(db.Integer, nullable=False)
    internal_notes = db.Column(db.Text, default="")


class BookSchema(ma.SQLAlchemySchema):
    class Meta:
        model = Book

    id = ma.auto_field(dump_only=True)
    title = ma.auto_field()
    year = ma.auto_field()


book_schema = BookSchema()
books_schema = BookSchema(many=True)

with app.app_context():
    db.create_all()
    db.session.add_all([Book(title="Dune", year=1965, internal_notes="reprint due"), Book(title="Kindred", year=1979)])
    db.session.commit()


@app.get("/books")
def list_books():
    return books_schema.dump(db.session.scalars(db.select(Book).order_by(Book.id)))


@app.post("/books")
def create_book():
    book = Book(**book_schema.load(request.get_json()))
    db.session.add(book)
    db.session.commit()
    return book_schema.dump(book), 201
