METHODS = {"get", "put", "post", "delete", "patch"}


def spec():
    return app.test_client().get("/swagger.json").get_json()


def documented():
    paths = spec()["paths"]
    return {"paths": {path: sorted(METHODS & set(ops)) for path, ops in paths.items()},
            "tags": sorted({tag for ops in paths.values() for op in ops.values() if isinstance(op, dict)
                            for tag in op.get("tags", [])})}


def models():
    return sorted(spec()["definitions"])
