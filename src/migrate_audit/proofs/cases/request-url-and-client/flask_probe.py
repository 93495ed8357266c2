def client_ip(address):
    # Werkzeug's test client takes the peer address from the WSGI environ
    return app.test_client().get("/whoami", environ_base={"REMOTE_ADDR": address}).get_json()
