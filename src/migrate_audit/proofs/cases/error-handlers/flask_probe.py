def get(path):
    response = app.test_client().get(path)
    return [response.status_code, response.get_json()]
