from flask import Flask, request

app = Flask(__name__)


@app.post("/unsubscribe")
def unsubscribe():
    return {"token": request.values.get("token"), "list": request.values.get("list", "news")}
