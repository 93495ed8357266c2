from flask import Flask, render_template

app = Flask(__name__, static_url_path="/assets")


@app.get("/")
def home():
    return render_template("home.html")
