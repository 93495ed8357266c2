from typing import Annotated

from fastapi import Cookie, FastAPI, Response

app = FastAPI()


@app.get("/books")
def list_books(response: Response, lang: str | None = None,
               saved_lang: Annotated[str | None, Cookie(alias="lang")] = None):
    if lang:
        response.set_cookie("lang", lang)
    return {"lang": lang or saved_lang or "en", "books": ["Dune", "Emma"]}
