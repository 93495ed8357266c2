from marshmallow import fields, validate
from pydantic import BaseModel, ConfigDict, Field

from .extensions import ma
from .models import Book, Review


class BookSchema(ma.SQLAlchemyAutoSchema):
    class Meta:
        model = Book
        load_instance = True
        exclude = ("cover_filename",)

    isbn = ma.auto_field(validate=validate.Length(equal=13))
    title = ma.auto_field(validate=validate.Length(min=1, max=255))
    price_cents = ma.auto_field(validate=validate.Range(min=0))
    created_at = ma.auto_field(dump_only=True)
    average_rating = fields.Float(dump_only=True, allow_none=True)

    _links = ma.Hyperlinks({
        "self": ma.URLFor("api.get_book", values=dict(book_id="<id>")),
        "reviews": ma.URLFor("api.book_reviews", values=dict(book_id="<id>")),
    })


class ReviewSchema(ma.SQLAlchemyAutoSchema):
    class Meta:
        model = Review
        include_fk = True
        load_instance = True

    rating = ma.auto_field(validate=validate.Range(min=1, max=5))
    created_at = ma.auto_field(dump_only=True)


book_schema = BookSchema()
books_schema = BookSchema(many=True)
review_schema = ReviewSchema()
reviews_schema = ReviewSchema(many=True)


class BookQuery(BaseModel):
    q: str | None = None
    author: str | None = None
    year_from: int | None = Field(default=None, ge=1400)
    page: int = Field(default=1, ge=1)
    per_page: int = Field(default=20, ge=1, le=100)


class BookSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    isbn: str
    title: str
    author: str
    published_year: int | None = None


class BookSearchResult(BaseModel):
    items: list[BookSummary]
    page: int
    total: int
