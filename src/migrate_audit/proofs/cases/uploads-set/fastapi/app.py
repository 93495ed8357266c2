from pathlib import Path

from fastapi import FastAPI, HTTPException, Request, UploadFile
from fastapi.staticfiles import StaticFiles
from werkzeug.utils import secure_filename

UPLOADS = Path("uploads")
IMAGES = {"jpg", "jpe", "jpeg", "png", "gif", "svg", "bmp", "webp"}
UPLOADS.mkdir(exist_ok=True)

app = FastAPI()
app.mount("/_uploads/photos", StaticFiles(directory=UPLOADS), name="photos")


@app.post("/photos", status_code=201)
async def upload(photo: UploadFile, request: Request):
    name = secure_filename(photo.filename or "")
    if name.rpartition(".")[2].lower() not in IMAGES:
        raise HTTPException(status_code=400)
    (UPLOADS / name).write_bytes(await photo.read())
    return {"name": name, "url": str(request.url_for("photos", path=name))}
