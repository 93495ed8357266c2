from fastapi import FastAPI

app = FastAPI()


@app.put("/thermostat/{celsius}")
def set_thermostat(celsius: float):
    return {"target": celsius}


@app.get("/files/{name:path}")
def download(name: str):
    return {"file": name}
