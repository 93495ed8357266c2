from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel

app = FastAPI()


@app.exception_handler(RequestValidationError)
async def validation_error_as_400(request: Request, exc: RequestValidationError):
    return JSONResponse({"detail": jsonable_encoder(exc.errors())}, status_code=400)


class BookIn(BaseModel):
    title: str


@app.post("/books")
def create_book(book: BookIn):
    return {"title": book.title}
