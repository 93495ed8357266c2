from fastapi.testclient import TestClient


def spec():
    return TestClient(app).get("/openapi.json").json()


def operations():
    document = spec()
    found = {}
    for path, methods in document["paths"].items():
        for method, op in methods.items():
            params = sorted([p["name"], p["in"], p["schema"]["type"], p.get("required", False)]
                            for p in op.get("parameters", []))
            fields = []
            if "requestBody" in op:
                ref = op["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
                schema = document["components"]["schemas"][ref]
                fields = sorted([name, prop["type"], name in schema.get("required", [])]
                                for name, prop in schema["properties"].items())
            found[f"{method.upper()} {path}"] = {"summary": op.get("summary"), "params": params, "body": fields}
    return found


def where():
    return {"spec": "/openapi.json", "version": spec().get("swagger") or spec().get("openapi"),
            "ui": "/docs", "ui status": TestClient(app).get("/docs").status_code}
