from flask import Flask
from flask_sock import Sock

app = Flask(__name__)
sock = Sock(app)


@sock.route("/echo")
def echo(ws):
    while True:
        text = ws.receive()
        if text == "bye":
            ws.close(reason=1000, message="see you")
            break
        ws.send(text.upper())
