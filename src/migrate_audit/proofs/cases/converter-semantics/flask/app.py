from flask import Flask

app = Flask(__name__)


@app.put("/thermostat/<float:celsius>")
def set_thermostat(celsius):
    return {"target": celsius}


@app.get("/files/<path:name>")
def download(name):
    return {"file": name}
