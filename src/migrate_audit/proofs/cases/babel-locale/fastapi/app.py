from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette_babel import (LocaleFromHeader, LocaleFromQuery, LocaleMiddleware, format_decimal, get_locale, gettext,
                             load_messages_from_directories)

LANGUAGES = ["en", "fr", "de"]


@asynccontextmanager
async def lifespan(app: FastAPI):
    load_messages_from_directories(["translations"])  # the same compiled catalogs
    yield


app = FastAPI(lifespan=lifespan)
app.add_middleware(
    LocaleMiddleware,
    locales=LANGUAGES,
    default_locale="en",  # Flask-Babel's BABEL_DEFAULT_LOCALE; starlette-babel's default is en_US
    selectors=[LocaleFromQuery(query_param="lang"), LocaleFromHeader(supported_locales=LANGUAGES)],
)


@app.get("/")
def index():
    return {"locale": str(get_locale()), "greeting": gettext("Welcome"), "price": format_decimal(1234.5)}
