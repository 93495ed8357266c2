from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

templates = Jinja2Templates(directory=["templates", "admin_templates"])  # searched in this order, as Flask does

admin = APIRouter(prefix="/admin")


@admin.get("/", response_class=HTMLResponse)
def dashboard(request: Request):
    return templates.TemplateResponse(request, "admin/dashboard.html", {"count": 3})


app = FastAPI()
app.include_router(admin)
app.mount("/admin/static", StaticFiles(directory="admin_static"), name="admin-static")


@app.get("/", response_class=HTMLResponse)
def home(request: Request):
    return templates.TemplateResponse(request, "home.html")
