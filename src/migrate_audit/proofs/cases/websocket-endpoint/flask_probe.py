import threading

import simple_websocket
from werkzeug.serving import WSGIRequestHandler, make_server


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


def session(messages):
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    seen = []
    try:
        ws = simple_websocket.Client.connect(f"ws://127.0.0.1:{server.server_port}/echo")
        for text in messages:
            ws.send(text)
            try:
                seen.append(ws.receive(timeout=5))
            except simple_websocket.ConnectionClosed as closed:
                seen.append({"closed": closed.reason, "reason": closed.message})
                break
    finally:
        server.shutdown()
    return seen
