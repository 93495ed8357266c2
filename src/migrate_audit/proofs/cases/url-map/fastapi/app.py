from fastapi import APIRouter, FastAPI
from fastapi.responses import PlainTextResponse
from fastapi.routing import APIRoute, iter_route_contexts

router = APIRouter(prefix="/books")


@router.get("/")
def index():
    return {"books": ["Dune"]}


@router.get("/{book_id:int}")
def detail(book_id: int):
    return {"id": book_id}


app = FastAPI()
app.include_router(router)


@app.get("/about")
def about():
    return {"about": "A bookshop"}


@app.get("/sitemap.txt", response_class=PlainTextResponse)
def sitemap():
    paths = sorted(route.path for route in iter_route_contexts(app.routes)
                   if isinstance(route.original_route, APIRoute) and "GET" in route.methods and "{" not in route.path)
    return "\n".join(paths)
