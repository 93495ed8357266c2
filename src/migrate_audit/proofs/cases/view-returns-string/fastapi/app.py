from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from markupsafe import escape

app = FastAPI()


@app.get("/hello/{name}", response_class=HTMLResponse)
def hello(name: str):
    return f"<p>Hello, {escape(name)}!</p>"
