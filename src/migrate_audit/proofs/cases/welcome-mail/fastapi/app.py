from fastapi import FastAPI
from fastapi_mail import ConnectionConfig, FastMail, MessageSchema, MessageType
from pydantic import BaseModel, EmailStr

conf = ConnectionConfig(
    MAIL_SERVER="smtp.example.com",
    MAIL_PORT=587,
    MAIL_STARTTLS=True,
    MAIL_SSL_TLS=False,
    MAIL_USERNAME="app",
    MAIL_PASSWORD="secret",
    MAIL_FROM="noreply@example.com",
    SUPPRESS_SEND=1,
)
fm = FastMail(conf)
app = FastAPI()


class Signup(BaseModel):
    email: EmailStr


@app.post("/signup", status_code=202)
async def signup(body: Signup):
    message = MessageSchema(subject="Welcome", recipients=[body.email],
                            body=f"Hello {body.email}, welcome aboard.", subtype=MessageType.plain)
    await fm.send_message(message)  # or background_tasks.add_task(fm.send_message, message)
    return {"sent": True}
