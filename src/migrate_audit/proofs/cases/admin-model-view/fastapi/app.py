from fastapi import FastAPI
from sqladmin import Admin, ModelView
from sqlalchemy import String, create_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.pool import StaticPool

engine = create_engine("sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool)


class Base(DeclarativeBase):
    pass


class Book(Base):
    __tablename__ = "book"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    author: Mapped[str] = mapped_column(String(200))
    isbn: Mapped[str | None] = mapped_column(String(13))


class BookAdmin(ModelView, model=Book):
    column_list = [Book.title, Book.author]
    column_searchable_list = [Book.title]


app = FastAPI()
admin = Admin(app, engine, title="Bookshop")
admin.add_view(BookAdmin)

Base.metadata.create_all(engine)
with Session(engine) as session:
    session.add_all([Book(title="Dune", author="Frank Herbert", isbn="9780441013593"),
                     Book(title="Kindred", author="Octavia E. Butler", isbn="9780807083697")])
    session.commit()
