from flask import Flask
from flask_socketio import SocketIO, emit, join_room

app = Flask(__name__)
socketio = SocketIO(app)


@app.get("/health")
def health():
    return {"ok": True}


@socketio.on("join")
def on_join(data):
    join_room(data["room"])
    emit("joined", data)


@socketio.on("chat")
def on_chat(data):
    emit("said", {"text": data["text"]}, to=data["room"])
