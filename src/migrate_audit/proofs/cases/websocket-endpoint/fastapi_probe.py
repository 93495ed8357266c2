from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect


def session(messages):
    seen = []
    with TestClient(app) as client, client.websocket_connect("/echo") as ws:
        for text in messages:
            ws.send_text(text)
            try:
                seen.append(ws.receive_text())
            except WebSocketDisconnect as closed:
                seen.append({"closed": closed.code, "reason": closed.reason})
                break
    return seen
