from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, FastAPI
from pydantic import BaseModel
from sqlalchemy.pool import StaticPool
from sqlmodel import Field, Session, SQLModel, create_engine, select

engine = create_engine("sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool)


class BookReview(SQLModel, table=True):  # as in FastAPI's SQL tutorial, no __tablename__
    id: int | None = Field(default=None, primary_key=True)
    book: str = Field(max_length=200)
    stars: int
    comment: str | None = None


@asynccontextmanager
async def lifespan(app: FastAPI):
    SQLModel.metadata.create_all(engine)
    yield


app = FastAPI(lifespan=lifespan)


def get_db():
    with Session(engine) as session:
        yield session


DbSession = Annotated[Session, Depends(get_db)]


class ReviewIn(BaseModel):
    book: str
    stars: int
    comment: str | None = None


@app.post("/reviews", status_code=201)
def add_review(data: ReviewIn, session: DbSession):
    review = BookReview(**data.model_dump())
    session.add(review)
    session.commit()
    return {"id": review.id, "book": review.book, "stars": review.stars}


@app.get("/reviews")
def list_reviews(book: str, session: DbSession):
    reviews = session.exec(select(BookReview).where(BookReview.book == book).order_by(BookReview.id)).all()
    return [{"id": r.id, "stars": r.stars, "comment": r.comment} for r in reviews]
