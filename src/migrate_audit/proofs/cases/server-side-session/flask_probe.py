def session_cookie():
    header = app.test_client().post("/cart/probe").headers["Set-Cookie"]
    value, _, attributes = header.partition(";")
    names = {part.split("=")[0].strip().lower() for part in attributes.split(";")}
    return {"name": value.split("=")[0], "holds the data": "probe" in value,
            "outlives the browser": bool(names & {"expires", "max-age"}), "secure": "secure" in names,
            "httponly": "httponly" in names}
