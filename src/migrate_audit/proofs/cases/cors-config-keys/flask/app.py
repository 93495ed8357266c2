from flask import Flask
from flask_cors import CORS

app = Flask(__name__)
app.config["CORS_ORIGINS"] = ["https://shop.example"]
app.config["CORS_SUPPORTS_CREDENTIALS"] = True
app.config["CORS_EXPOSE_HEADERS"] = ["X-Cart-Total"]
CORS(app)


@app.route("/api/cart", methods=["GET", "PUT"])
def cart():
    return {"items": 2}, 200, {"X-Cart-Total": "31.50"}
