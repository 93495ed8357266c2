from typing import Annotated

from fastapi import FastAPI, Form

app = FastAPI()


@app.post("/login")
def login(username: Annotated[str, Form()], remember: Annotated[str, Form()] = "no"):
    return {"user": username, "remember": remember == "yes"}
