from fastapi import FastAPI, Request
from starsessions import InMemoryStore, SessionAutoloadMiddleware, SessionMiddleware

app = FastAPI()
app.add_middleware(SessionAutoloadMiddleware)
app.add_middleware(
    SessionMiddleware,
    store=InMemoryStore(),  # starsessions.stores.redis.RedisStore in production
    lifetime=31 * 24 * 3600,  # Flask's PERMANENT_SESSION_LIFETIME; starsessions' default is a browser session
    cookie_https_only=False,  # Flask's SESSION_COOKIE_SECURE (False); starsessions' default is True
)


@app.post("/cart/{item}")
def add_to_cart(item: str, request: Request):
    request.session.setdefault("cart", []).append(item)
    return {"cart": request.session["cart"]}


@app.get("/cart")
def show_cart(request: Request):
    return {"cart": request.session.get("cart", [])}
