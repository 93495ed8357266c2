import os
import shutil

from fastapi import FastAPI, UploadFile
from werkzeug.utils import secure_filename

app = FastAPI()
UPLOADS = "uploads"
os.makedirs(UPLOADS, exist_ok=True)


def save_cover(upload: UploadFile) -> str:
    name = secure_filename(upload.filename)
    with open(os.path.join(UPLOADS, name), "wb") as out:
        shutil.copyfileobj(upload.file, out)
    return name


@app.post("/books/{book_id}/cover")
def upload_cover(book_id: int, cover: UploadFile):
    name = save_cover(cover)
    # Werkzeug's .mimetype is the Content-Type without its parameters (; charset=...)
    mimetype = cover.content_type.partition(";")[0].strip()
    return {"book": book_id, "saved": name, "type": mimetype,
            "size": os.path.getsize(os.path.join(UPLOADS, name))}
