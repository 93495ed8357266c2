from fastapi import BackgroundTasks, FastAPI
from pydantic import BaseModel

MAIL_SENDER = "welcome@shop.example"

app = FastAPI()

OUTBOX = []


class Signup(BaseModel):
    email: str


def send_welcome(email: str, sender: str):
    OUTBOX.append({"to": email, "from": sender})


@app.post("/signup", status_code=202)
def signup(data: Signup, background_tasks: BackgroundTasks):
    background_tasks.add_task(send_welcome, data.email, MAIL_SENDER)
    return {"queued": data.email}
