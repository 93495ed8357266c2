from flask import Flask
from flask_admin import Admin
from flask_admin.contrib.sqla import ModelView
from flask_babel import Babel
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
app.config["SECRET_KEY"] = "change-me"
db = SQLAlchemy(app)
Babel(app)  # Flask-Admin uses Flask-Babel when it is installed


class Book(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    author = db.Column(db.String(200), nullable=False)
    isbn = db.Column(db.String(13))


class BookAdmin(ModelView):
    column_list = ["title", "author"]
    column_searchable_list = ["title"]


admin = Admin(app, name="Bookshop")
admin.add_view(BookAdmin(Book, db))

with app.app_context():
    db.create_all()
    db.session.add_all([Book(title="Dune", author="Frank Herbert", isbn="9780441013593"),
                        Book(title="Kindred", author="Octavia E. Butler", isbn="9780807083697")])
    db.session.commit()
