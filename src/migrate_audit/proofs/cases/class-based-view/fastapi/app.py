from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Header, HTTPException
from pydantic import BaseModel

REVIEWS = {1: ["A classic."]}


def token_required(x_token: Annotated[str | None, Header()] = None):
    if x_token != "s3cret":
        raise HTTPException(401)


class ReviewIn(BaseModel):
    text: str


router = APIRouter(prefix="/books/{book_id:int}/reviews", dependencies=[Depends(token_required)])


@router.get("")
def list_reviews(book_id: int):
    return {"book": book_id, "reviews": REVIEWS.get(book_id, [])}


@router.post("")
def add_review(book_id: int, review: ReviewIn):
    REVIEWS.setdefault(book_id, []).append(review.text)
    return {"book": book_id, "reviews": REVIEWS[book_id]}


app = FastAPI()
app.include_router(router)
