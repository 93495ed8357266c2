from fastapi import FastAPI
from markupsafe import escape

app = FastAPI()


@app.get("/hello/{name}")
def hello(name: str):
    return f"<p>Hello, {escape(name)}!</p>"
