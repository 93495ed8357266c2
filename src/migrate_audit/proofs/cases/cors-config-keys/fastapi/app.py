from fastapi import FastAPI, Response
from fastapi.middleware.cors import CORSMiddleware


class Settings:  # pydantic-settings' BaseSettings in a real app
    cors_origins = ["https://shop.example"]
    cors_supports_credentials = True
    cors_expose_headers = ["X-Cart-Total"]


settings = Settings()
app = FastAPI()
app.add_middleware(
    CORSMiddleware,
    allow_origins=settings.cors_origins,
    allow_credentials=settings.cors_supports_credentials,
    expose_headers=settings.cors_expose_headers,
    allow_methods=["*"],  # Flask-CORS's default; Starlette's is GET only
    allow_headers=["*"],  # Flask-CORS's default
)


@app.api_route("/api/cart", methods=["GET", "PUT"])
def cart(response: Response):
    response.headers["X-Cart-Total"] = "31.50"
    return {"items": 2}
