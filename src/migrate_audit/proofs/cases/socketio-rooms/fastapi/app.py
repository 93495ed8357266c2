import socketio
from fastapi import FastAPI

sio = socketio.AsyncServer(async_mode="asgi")
api = FastAPI()
app = socketio.ASGIApp(sio, other_asgi_app=api)  # Socket.IO under /socket.io/, everything else to FastAPI


@api.get("/health")
def health():
    return {"ok": True}


@sio.event
async def join(sid, data):
    await sio.enter_room(sid, data["room"])
    await sio.emit("joined", data, to=sid)  # Flask-SocketIO's emit() answered the sender


@sio.event
async def chat(sid, data):
    await sio.emit("said", {"text": data["text"]}, to=data["room"])
