from fastapi import FastAPI, Request
from starsessions import InMemoryStore, SessionAutoloadMiddleware, SessionMiddleware

app = FastAPI()
app.add_middleware(SessionAutoloadMiddleware)
app.add_middleware(SessionMiddleware, store=InMemoryStore())


@app.post("/cart/{item}")
def add_to_cart(item: str, request: Request):
    request.session.setdefault("cart", []).append(item)
    return {"cart": request.session["cart"]}


@app.get("/cart")
def show_cart(request: Request):
    return {"cart": request.session.get("cart", [])}
