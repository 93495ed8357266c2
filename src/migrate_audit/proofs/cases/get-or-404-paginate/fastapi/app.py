import math
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Query
from sqlalchemy import String, create_engine, func, select
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


@asynccontextmanager
async def lifespan(app: FastAPI):
    Base.metadata.create_all(engine)
    with SessionLocal() as session:
        session.add_all(Book(title=t) for t in ("Dune", "Emma", "Ulysses", "Beloved", "Middlemarch"))
        session.commit()
    yield


app = FastAPI(lifespan=lifespan)


def get_db():
    with SessionLocal() as session:
        yield session


DbSession = Annotated[Session, Depends(get_db)]


@app.get("/books/{book_id}")
def get_book(book_id: int, session: DbSession):
    book = session.get(Book, book_id)
    if book is None:
        raise HTTPException(status_code=404)
    return {"id": book.id, "title": book.title}


@app.get("/books")
def list_books(session: DbSession, page: Annotated[int, Query(ge=1)] = 1,
               per_page: Annotated[int, Query(ge=1)] = 20):
    per_page = min(per_page, 3)  # paginate(max_per_page=3) capped it the same way
    total = session.scalar(select(func.count()).select_from(Book))
    items = session.scalars(select(Book).order_by(Book.id).limit(per_page).offset((page - 1) * per_page)).all()
    if page > 1 and not items:
        raise HTTPException(status_code=404)  # paginate(error_out=True) did this past the last page
    return {"items": [b.title for b in items], "page": page, "pages": math.ceil(total / per_page), "total": total}
