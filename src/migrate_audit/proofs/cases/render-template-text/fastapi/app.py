from pathlib import Path

from fastapi import FastAPI
from fastapi.templating import Jinja2Templates

app = FastAPI()
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


@app.get("/authors/{author}/query")
def author_query(author: str):
    return {"sql": templates.get_template("queries/by_author.sql").render(author=author)}
