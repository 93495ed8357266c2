from typing import Annotated

from fastapi import FastAPI, HTTPException, Path

app = FastAPI()


@app.put("/thermostat/{celsius}")
def set_thermostat(celsius: Annotated[str, Path(pattern=r"^\d+\.\d+$")]):
    # Werkzeug's float: digits, a dot, digits. FastAPI checks after routing, so a miss answers 422, not 404.
    return {"target": float(celsius)}


@app.get("/files/{name:path}")
def download(name: str):
    name = name.lstrip("/")  # Werkzeug's path never starts with a slash
    if not name:
        raise HTTPException(404)  # nor is it empty
    return {"file": name}
