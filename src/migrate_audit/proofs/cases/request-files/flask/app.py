import os

from flask import Flask, request
from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename

app = Flask(__name__)
UPLOADS = "uploads"
os.makedirs(UPLOADS, exist_ok=True)


def save_cover(storage: FileStorage) -> str:
    name = secure_filename(storage.filename)
    storage.save(os.path.join(UPLOADS, name))
    return name


@app.post("/books/<int:book_id>/cover")
def upload_cover(book_id):
    cover = request.files["cover"]
    name = save_cover(cover)
    return {"book": book_id, "saved": name, "type": cover.mimetype,
            "size": os.path.getsize(os.path.join(UPLOADS, name))}
