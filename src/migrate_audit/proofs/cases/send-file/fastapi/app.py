import os

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse
from werkzeug.security import safe_join

app = FastAPI()
EXPORTS = "exports"


@app.get("/exports/{name:path}")
def download_export(name: str):
    path = safe_join(EXPORTS, name)  # None when name climbs out of the folder
    if path is None or not os.path.isfile(path):
        raise HTTPException(status_code=404)
    return FileResponse(path, filename=os.path.basename(name))
