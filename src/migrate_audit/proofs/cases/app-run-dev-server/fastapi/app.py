import uvicorn
from fastapi import FastAPI

app = FastAPI()


@app.get("/")
def home():
    return {"status": "ok"}


if __name__ == "__main__":
    uvicorn.run("app:app", reload=True, port=5000)
