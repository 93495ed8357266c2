def poll_twice():
    client = app.test_client()
    seen = [client.post("/reports").status_code, client.get("/reports").get_json()]
    release.set()
    executor.futures.result("report", 5)
    return seen + [client.get("/reports").get_json()]
