client = app.test_client()


def status(path):
    return client.get(path).status_code


def serves_secret(path):
    return "SECRET_KEY" in client.get(path).text
