def served(path):
    LOG.clear()
    app.test_client().get(path)
    return list(LOG)
