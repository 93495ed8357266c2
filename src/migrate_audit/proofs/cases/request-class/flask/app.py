from flask import Flask, Request, request


class AppRequest(Request):
    @property
    def is_api(self):
        return self.path.startswith("/api/")


app = Flask(__name__)
app.request_class = AppRequest


def token_from(req: Request):
    return req.args.get("token")


@app.get("/api/items")
def items():
    return {"api": request.is_api, "token": token_from(request)}


@app.get("/items")
def items_page():
    return {"api": request.is_api, "token": token_from(request)}
