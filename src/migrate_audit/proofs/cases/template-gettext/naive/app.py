from fastapi import FastAPI, Request
from fastapi.templating import Jinja2Templates

templates = Jinja2Templates(directory="templates")
app = FastAPI()


@app.get("/")
def index(request: Request):
    return templates.TemplateResponse(request, "index.html", {"count": 3})
