from flask import Flask, url_for

app = Flask(__name__)
app.config.update(SERVER_NAME="books.example", PREFERRED_URL_SCHEME="https")


@app.get("/reset/<token>")
def reset(token):
    return {"link": url_for("reset", token=token, _external=True)}


def reset_link_for_email(token):  # e.g. in a Celery task: no request
    with app.app_context():
        return url_for("reset", token=token, _external=True)
