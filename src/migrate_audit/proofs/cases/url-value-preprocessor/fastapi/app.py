from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request


def current_lang(lang: str, request: Request) -> str:
    request.state.lang = lang
    return lang


Lang = Annotated[str, Depends(current_lang)]
router = APIRouter(prefix="/{lang}", dependencies=[Depends(current_lang)])


@router.get("/about")
def about(lang: Lang, request: Request):
    return {"lang": lang, "contact": request.app.url_path_for("contact", lang=lang)}


@router.get("/contact", name="contact")
def contact(lang: Lang):
    return {"lang": lang}


app = FastAPI()
app.include_router(router)
