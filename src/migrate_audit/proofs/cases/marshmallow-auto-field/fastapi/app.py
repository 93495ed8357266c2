from collections.abc import Sequence
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, FastAPI
from pydantic import BaseModel, ConfigDict
from sqlalchemy import String, Text, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.pool import StaticPool

engine = create_engine("sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool)
SessionLocal = sessionmaker(engine)


class Base(DeclarativeBase):
    pass


class Book(Base):
    __tablename__ = "book"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    year: Mapped[int]
    internal_notes: Mapped[str] = mapped_column(Text, default="")


@asynccontextmanager
async def lifespan(app: FastAPI):
    Base.metadata.create_all(engine)
    with SessionLocal() as session:
        session.add_all([Book(title="Dune", year=1965, internal_notes="reprint due"), Book(title="Kindred", year=1979)])
        session.commit()
    yield


app = FastAPI(lifespan=lifespan)


def get_db():
    with SessionLocal() as session:
        yield session


DbSession = Annotated[Session, Depends(get_db)]


class BookIn(BaseModel):  # the fields `load` accepted: auto_field's column types, written out
    title: str
    year: int


class BookOut(BaseModel):  # what `dump` wrote: the schema's fields only, `dump_only` id included
    model_config = ConfigDict(from_attributes=True)
    id: int
    title: str
    year: int


@app.get("/books", response_model=list[BookOut])
def list_books(session: DbSession) -> Sequence[Book]:
    return session.scalars(select(Book).order_by(Book.id)).all()


@app.post("/books", status_code=201, response_model=BookOut)
def create_book(data: BookIn, session: DbSession) -> Book:
    book = Book(**data.model_dump())
    session.add(book)
    session.commit()
    return book
