from fastapi import FastAPI, Request, Response
from fastapi.templating import Jinja2Templates

app = FastAPI()
templates = Jinja2Templates(directory="templates")


@app.get("/")
def index(request: Request, response: Response):
    # FastAPI copies the injected response's cookies and headers only onto a response it builds itself
    # (from a returned dict or model); a returned TemplateResponse goes out without them.
    response.set_cookie("seen", "1")
    response.headers["X-Frame-Options"] = "DENY"
    return templates.TemplateResponse(request, "index.html")
