"""The first endpoints moved to FastAPI; every other URL still goes to the Flask app (run: uvicorn api:api)."""
from http import HTTPStatus

from a2wsgi import WSGIMiddleware
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse

from app import app as flask_app

api = FastAPI()
AUTHORS = {1: "Frank Herbert"}


@api.exception_handler(HTTPException)
async def json_error(request: Request, exc: HTTPException):
    return JSONResponse({"code": exc.status_code, "error": HTTPStatus(exc.status_code).phrase},
                        status_code=exc.status_code, headers=exc.headers)


@api.get("/authors/{author_id:int}")
def show_author(author_id: int):
    if author_id not in AUTHORS:
        raise HTTPException(404)
    return {"id": author_id, "name": AUTHORS[author_id]}


api.mount("/", WSGIMiddleware(flask_app))  # not ported yet
