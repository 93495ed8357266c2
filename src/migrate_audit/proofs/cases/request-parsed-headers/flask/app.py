from flask import Flask, request

app = Flask(__name__)


@app.get("/preferences")
def preferences():
    return {
        "back": request.referrer or "/",
        "origin": request.origin,
        "language": request.accept_languages.best_match(["en", "fr"], default="en"),
        "json": request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json",
    }
