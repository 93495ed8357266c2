import logging
import runpy
from importlib import import_module

import uvicorn.config
from fastapi.testclient import TestClient
from uvicorn.importer import import_from_string


def run_as_script():
    """`python app.py` with uvicorn's reloader supervisor (and its socket bind) replaced by a recorder."""
    started = {}

    class ChangeReload:
        def __init__(self, config, target, sockets):
            started.update(host=config.host, port=config.port, reload=config.reload,
                           home=TestClient(import_from_string(config.app)).get("/").json())

        def run(self):
            pass

    replaced = [(import_module("uvicorn.main"), "ChangeReload", ChangeReload),
                (uvicorn.config.Config, "bind_socket", lambda self: None)]
    saved = [(owner, name, getattr(owner, name)) for owner, name, _ in replaced]
    for owner, name, value in replaced:
        setattr(owner, name, value)
    # uvicorn.run applies its logging config; put the uvicorn loggers back as they were afterwards.
    loggers = [logging.getLogger(name) for name in ("uvicorn", "uvicorn.error", "uvicorn.access")]
    logging_before = [(logger, logger.handlers[:], logger.level, logger.propagate) for logger in loggers]
    try:
        runpy.run_path(__file__, run_name="__main__")
    except SystemExit as exit:
        started["exit status"] = exit.code
    finally:
        for owner, name, value in saved:
            setattr(owner, name, value)
        for logger, handlers, level, propagate in logging_before:
            logger.handlers[:], logger.propagate = handlers, propagate
            logger.setLevel(level)
    return started
