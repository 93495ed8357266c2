from typing import Annotated

from fastapi import FastAPI, Form
from fastapi.responses import HTMLResponse
from markupsafe import escape

app = FastAPI()
subscribers: list[str] = []

FORM = '<form method="post"><input name="email" type="email"><button>Subscribe</button></form>'


@app.get("/newsletter", response_class=HTMLResponse)
def newsletter_form():
    return FORM


@app.post("/newsletter", response_class=HTMLResponse)
def subscribe(email: Annotated[str, Form()]):
    subscribers.append(email)
    return f"<p>Thanks, {escape(email)}! You are subscriber number {len(subscribers)}.</p>"
