from collections.abc import Sequence
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, FastAPI
from pydantic import BaseModel
from sqlalchemy import String, Text, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.pool import StaticPool

engine = create_engine("sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool)
SessionLocal = sessionmaker(engine)


class Base(DeclarativeBase):
    pass


class BookReview(Base):
    __tablename__ = "book_review"  # Flask-SQLAlchemy derived this name from the class name
    id: Mapped[int] = mapped_column(primary_key=True)
    book: Mapped[str] = mapped_column(String(200))
    stars: Mapped[int]
    comment: Mapped[str | None] = mapped_column(Text)


@asynccontextmanager
async def lifespan(app: FastAPI):
    Base.metadata.create_all(engine)
    yield


app = FastAPI(lifespan=lifespan)


def get_db():
    with SessionLocal() as session:
        yield session


DbSession = Annotated[Session, Depends(get_db)]


class ReviewIn(BaseModel):
    book: str
    stars: int
    comment: str | None = None


class ReviewCreated(BaseModel):  # what the Flask view returned; response_model reads it from the ORM object
    id: int
    book: str
    stars: int


class ReviewOut(BaseModel):
    id: int
    stars: int
    comment: str | None


@app.post("/reviews", status_code=201, response_model=ReviewCreated)
def add_review(data: ReviewIn, session: DbSession) -> BookReview:
    review = BookReview(**data.model_dump())
    session.add(review)
    session.commit()
    return review


@app.get("/reviews", response_model=list[ReviewOut])
def list_reviews(book: str, session: DbSession) -> Sequence[BookReview]:
    return session.scalars(select(BookReview).where(BookReview.book == book).order_by(BookReview.id)).all()
