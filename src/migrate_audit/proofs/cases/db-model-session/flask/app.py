from flask import Flask, request
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
db = SQLAlchemy(app)


class BookReview(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    book = db.Column(db.String(200), nullable=False)
    stars = db.Column(db.Integer, nullable=False)
    comment = db.Column(db.Text)


with app.app_context():
    db.create_all()


@app.post("/reviews")
def add_review():
    data = request.get_json()
    review = BookReview(book=data["book"], stars=data["stars"], comment=data.get("comment"))
    db.session.add(review)
    db.session.commit()
    return {"id": review.id, "book": review.book, "stars": review.stars}, 201


@app.get("/reviews")
def list_reviews():
    reviews = BookReview.query.filter_by(book=request.args["book"]).order_by(BookReview.id).all()
    return [{"id": r.id, "stars": r.stars, "comment": r.comment} for r in reviews]
