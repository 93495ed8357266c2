from fastapi import FastAPI, HTTPException
from fastapi.responses import JSONResponse

app = FastAPI()


@app.exception_handler(404)
async def not_found(request, exc):
    return JSONResponse({"error": exc.detail, "status": exc.status_code}, status_code=exc.status_code)


@app.get("/books/{book_id}")
def book(book_id: int):
    raise HTTPException(status_code=404)
