import os

from fastapi import FastAPI
from fastapi.responses import FileResponse

app = FastAPI()
EXPORTS = "exports"


@app.get("/exports/{name:path}")
def download_export(name: str):
    return FileResponse(os.path.join(EXPORTS, name), filename=os.path.basename(name))
