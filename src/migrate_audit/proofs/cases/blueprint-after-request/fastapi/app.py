from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse

api = APIRouter(prefix="/api")


@api.get("/books")
def list_books():
    return ["Dune", "Emma"]


app = FastAPI()
app.include_router(api)


@app.middleware("http")
async def no_store(request: Request, call_next):
    response = await call_next(request)
    if request.url.path.startswith(api.prefix + "/"):
        response.headers["Cache-Control"] = "no-store"
    return response


@app.get("/", response_class=HTMLResponse)
def home():
    return "<h1>Bookshelf</h1>"
