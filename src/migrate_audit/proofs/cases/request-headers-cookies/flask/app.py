from flask import Flask, request

app = Flask(__name__)


@app.get("/shelf")
def shelf():
    api_key = request.headers.get("X-Api-Key")
    agent = request.headers.get("User-Agent", "")
    theme = request.cookies.get("theme", "light")
    return {"authenticated": api_key == "k-123", "mobile": "Mobile" in agent, "theme": theme}
