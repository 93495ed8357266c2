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
    response.headers["Cache-Control"] = "no-store"  # now on every response, not just the API's
    return response


@app.get("/", response_class=HTMLResponse)
def home():
    return "<h1>Bookshelf</h1>"
