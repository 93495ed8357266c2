from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

app = FastAPI()
app.add_middleware(
    CORSMiddleware,
    allow_origins=["https://shop.example"],
    allow_methods=["*"],  # Flask-CORS's default; Starlette's is GET only
    allow_headers=["*"],  # Flask-CORS's default; Starlette's is Accept, Accept-Language, Content-Language, Content-Type
)


@app.post("/api/orders", status_code=201)
def create_order():
    return {"id": 1}
