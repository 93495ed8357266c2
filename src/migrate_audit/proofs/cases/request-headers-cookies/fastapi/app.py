from typing import Annotated

from fastapi import Cookie, FastAPI, Header

app = FastAPI()


@app.get("/shelf")
def shelf(
    x_api_key: Annotated[str | None, Header()] = None,
    user_agent: Annotated[str, Header()] = "",
    theme: Annotated[str, Cookie()] = "light",
):
    return {"authenticated": x_api_key == "k-123", "mobile": "Mobile" in user_agent, "theme": theme}
