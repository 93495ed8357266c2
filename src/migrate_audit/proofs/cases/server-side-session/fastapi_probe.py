from fastapi.testclient import TestClient


def session_cookie():
    header = TestClient(app).post("/cart/probe").headers["set-cookie"]
    value, _, attributes = header.partition(";")
    names = {part.split("=")[0].strip().lower() for part in attributes.split(";")}
    return {"name": value.split("=")[0], "holds the data": "probe" in value,
            "outlives the browser": bool(names & {"expires", "max-age"}), "secure": "secure" in names,
            "httponly": "httponly" in names}
