from functools import lru_cache
from typing import Annotated

from fastapi import Depends, FastAPI
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BOOKSHELF_")

    books_per_page: int = 20
    show_prices: bool = True


@lru_cache
def get_settings() -> Settings:
    return Settings()


app = FastAPI()

BOOKS = [{"title": "Dune", "price": 9.5}, {"title": "Emma", "price": 7.0}, {"title": "Ubik", "price": 8.0}]


@app.get("/books")
def list_books(settings: Annotated[Settings, Depends(get_settings)]):
    books = BOOKS[: settings.books_per_page]
    if not settings.show_prices:
        books = [{"title": book["title"]} for book in books]
    return books
