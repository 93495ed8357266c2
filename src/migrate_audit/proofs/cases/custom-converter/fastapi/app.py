from typing import Annotated

from fastapi import Depends, FastAPI

app = FastAPI()


def tag_list(tags: str) -> list[str]:
    """`/tags/python+web` -> ["python", "web"]."""
    return tags.split("+")


@app.get("/tags/{tags}")
def tagged(tags: Annotated[list[str], Depends(tag_list)]):
    return {"tags": tags, "canonical": app.url_path_for("tagged", tags="+".join(sorted(tags)))}
