from fastapi import FastAPI, Request
from fastapi.templating import Jinja2Templates

app = FastAPI()
templates = Jinja2Templates(directory="templates")


@app.get("/")
def index(request: Request):
    response = templates.TemplateResponse(request, "index.html")
    response.set_cookie("seen", "1")
    response.headers["X-Frame-Options"] = "DENY"
    return response
