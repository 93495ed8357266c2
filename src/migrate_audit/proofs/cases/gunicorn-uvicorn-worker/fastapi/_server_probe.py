import runpy

import anyio.to_thread
from fastapi.testclient import TestClient
from gunicorn.config import Config
from gunicorn.util import load_class
from uvicorn.importer import import_from_string


def _config():
    config = Config()
    for name, value in runpy.run_path("gunicorn.conf.py").items():
        if name in config.settings:
            config.set(name, value)
    words = open("Procfile").read().split()
    config.set("worker_class", words[words.index("-k") + 1])
    return config


def started():
    config = _config()
    worker = load_class(config.worker_class_str)
    target = open("Procfile").read().split()[-1]
    response = TestClient(import_from_string(target)).get("/health")  # how the uvicorn worker loads it
    return {"worker": worker.__name__, "workers": config.workers,
            "GET /health": [response.status_code, response.json()]}


def thread_capacity():
    async def tokens():
        return anyio.to_thread.current_default_thread_limiter().total_tokens

    return anyio.run(tokens)  # sync endpoints share AnyIO's pool; async ones run on the event loop
