from flask.cli import ScriptInfo


def served_by_the_command():
    found = ScriptInfo().load_app()  # what `flask run` does with FLASK_APP
    response = found.test_client().get("/")
    return [response.status_code, response.get_data(as_text=True)]
