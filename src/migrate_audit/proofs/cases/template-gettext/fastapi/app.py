from contextvars import ContextVar

from babel.support import Translations
from fastapi import FastAPI, Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

LOCALES = ["en", "fr"]
_translations: ContextVar[Translations] = ContextVar("translations")

env = Environment(loader=FileSystemLoader("templates"), extensions=["jinja2.ext.i18n"], autoescape=True)
# Installed once, resolved per request: the same templates, `{% trans %}` blocks included.
env.install_gettext_callables(
    lambda message: _translations.get().gettext(message),
    lambda singular, plural, n: _translations.get().ngettext(singular, plural, n),
    newstyle=True,
)
templates = Jinja2Templates(env=env)
app = FastAPI()


def best_locale(header: str) -> str:
    for part in header.split(","):
        language = part.split(";")[0].strip().split("-")[0]
        if language in LOCALES:
            return language
    return LOCALES[0]


@app.middleware("http")
async def select_locale(request: Request, call_next):
    locale = best_locale(request.headers.get("accept-language", ""))
    _translations.set(Translations.load("translations", [locale]))
    return await call_next(request)


@app.get("/")
def index(request: Request):
    return templates.TemplateResponse(request, "index.html", {"count": 3})
