from fastapi.testclient import TestClient


METHODS = {"get", "put", "post", "delete", "patch"}


def spec():
    return TestClient(app).get("/openapi.json").json()


def documented():
    paths = spec()["paths"]
    return {"paths": {path: sorted(METHODS & set(ops)) for path, ops in paths.items()},
            "tags": sorted({tag for ops in paths.values() for op in ops.values() for tag in op.get("tags", [])})}


def models():
    return sorted(name for name in spec()["components"]["schemas"] if "ValidationError" not in name)
