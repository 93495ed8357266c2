import runpy

from gunicorn.config import Config
from gunicorn.util import import_app


def _config():
    config = Config()
    for name, value in runpy.run_path("gunicorn.conf.py").items():
        if name in config.settings:
            config.set(name, value)
    return config


def started():
    config = _config()
    target = open("Procfile").read().split()[-1]
    client = import_app(target).test_client()
    response = client.get("/health")
    return {"worker": config.worker_class.__name__, "workers": config.workers,
            "GET /health": [response.status_code, response.get_json()]}


def thread_capacity():
    return _config().threads  # gthread: this many requests at once per worker
