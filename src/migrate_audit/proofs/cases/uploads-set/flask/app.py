from flask import Flask, abort, request
from flask_uploads import IMAGES, UploadNotAllowed, UploadSet, configure_uploads

app = Flask(__name__)
app.config["UPLOADED_PHOTOS_DEST"] = "uploads"
app.config["UPLOADS_AUTOSERVE"] = True  # Flask-Reuploaded serves the files only when asked
photos = UploadSet("photos", IMAGES)
configure_uploads(app, photos)


@app.post("/photos")
def upload():
    try:
        name = photos.save(request.files["photo"])
    except UploadNotAllowed:
        abort(400)
    return {"name": name, "url": photos.url(name)}, 201
