from flask import Flask, send_from_directory

app = Flask(__name__)
app.config["EXPORTS"] = "exports"


@app.get("/exports/<path:name>")
def download_export(name):
    return send_from_directory(app.config["EXPORTS"], name, as_attachment=True)
