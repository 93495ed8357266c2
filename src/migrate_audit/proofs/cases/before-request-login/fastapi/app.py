from typing import Annotated

from fastapi import Depends, FastAPI, Header, HTTPException

API_KEYS = {"k-ada": "ada", "k-alan": "alan"}
BOOKS = ["Dune", "Emma"]


def current_user(x_api_key: Annotated[str, Header()] = "") -> str:
    user = API_KEYS.get(x_api_key)
    if user is None:
        raise HTTPException(status_code=401, detail="Not authenticated")
    return user


# Declared on the app, the dependency guards every route, like the hook did.
app = FastAPI(dependencies=[Depends(current_user)])


@app.get("/books")
def list_books():
    return BOOKS


@app.get("/me")
def me(user: Annotated[str, Depends(current_user)]):
    return {"name": user}
