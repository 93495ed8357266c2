from fastapi import APIRouter, FastAPI
from pydantic import BaseModel

REVIEWS = {1: ["A classic."]}


class ReviewIn(BaseModel):
    text: str


router = APIRouter(prefix="/books/{book_id:int}/reviews")


@router.get("")
def list_reviews(book_id: int):
    return {"book": book_id, "reviews": REVIEWS.get(book_id, [])}


@router.post("")
def add_review(book_id: int, review: ReviewIn):
    REVIEWS.setdefault(book_id, []).append(review.text)
    return {"book": book_id, "reviews": REVIEWS[book_id]}


app = FastAPI()
app.include_router(router)
