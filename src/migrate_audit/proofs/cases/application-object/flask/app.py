from flask import Flask, render_template

app = Flask(__name__)  # static/ and templates/ beside this module, found without a word


@app.get("/")
def home():
    return render_template("home.html", shop="Blackwell's")
