from fastapi import FastAPI, Request

BASE_URL = "https://books.example"  # was SERVER_NAME and PREFERRED_URL_SCHEME

app = FastAPI()


@app.get("/reset/{token}", name="reset")
def reset(token: str, request: Request):
    return {"link": str(request.url_for("reset", token=token))}


def reset_link_for_email(token):  # e.g. in a Celery task: no request
    return BASE_URL + app.url_path_for("reset", token=token)
