import runpy

import werkzeug.serving


def run_as_script():
    """`python app.py` with Werkzeug's run_simple replaced by a recorder."""
    started = {}

    def run_simple(hostname, port, application, use_reloader=False, **options):
        started.update(host=hostname, port=port, reload=use_reloader,
                       home=application.test_client().get("/").get_json())

    real, werkzeug.serving.run_simple = werkzeug.serving.run_simple, run_simple
    try:
        runpy.run_path(__file__, run_name="__main__")
    finally:
        werkzeug.serving.run_simple = real
    return started
