def spec():
    return app.test_client().get("/apispec_1.json").get_json()


def operations():
    found = {}
    for path, methods in spec()["paths"].items():
        for method, op in methods.items():
            params = sorted([p["name"], p["in"], p["type"], p.get("required", False)]
                            for p in op.get("parameters", []) if p["in"] != "body")
            body = [p["schema"] for p in op.get("parameters", []) if p["in"] == "body"]
            fields = sorted([name, prop["type"], name in body[0].get("required", [])]
                            for name, prop in body[0]["properties"].items()) if body else []
            found[f"{method.upper()} {path}"] = {"summary": op.get("summary"), "params": params, "body": fields}
    return found


def where():
    client = app.test_client()
    return {"spec": "/apispec_1.json", "version": spec().get("swagger") or spec().get("openapi"),
            "ui": "/apidocs/", "ui status": client.get("/apidocs/").status_code}
