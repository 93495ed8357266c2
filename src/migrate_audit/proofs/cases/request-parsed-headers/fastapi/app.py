from fastapi import FastAPI, Request
from werkzeug.datastructures import LanguageAccept, MIMEAccept
from werkzeug.http import parse_accept_header

app = FastAPI()


@app.get("/preferences")
def preferences(request: Request):
    languages = parse_accept_header(request.headers.get("accept-language"), LanguageAccept)
    mimetypes = parse_accept_header(request.headers.get("accept"), MIMEAccept)
    return {
        "back": request.headers.get("referer") or "/",
        "origin": request.headers.get("origin"),
        "language": languages.best_match(["en", "fr"], default="en"),
        "json": mimetypes.best_match(["text/html", "application/json"]) == "application/json",
    }
