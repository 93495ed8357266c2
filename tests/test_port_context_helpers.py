"""While the app stays Flask, a Blueprint whose view calls a helper of another project module that reads Flask's
context locals (the sample app's export: `enqueue_catalogue_export` of bookshelf/tasks.py opens Redis on `g` and
reads `current_app`) does not convert whole: FastAPI would call it with no Flask context pushed (a RuntimeError,
where Flask answered): port/imported_context.py. Its views are judged one by one instead (split.py), and the one
calling the helper stays."""
from __future__ import annotations

from pathlib import Path

import pytest

from migrate_audit.port import port

APP = '''\
from flask import Flask

from shop.views import bp


class Config:
    SECRET_KEY = "s3cret"


def create_app():
    app = Flask(__name__)
    app.config.from_object(Config)
    app.register_blueprint(bp)
    return app
'''
TASKS = '''\
from flask import current_app, g


class Queue:
    def __init__(self, url):
        self.url = url


def get_queue():
    if "queue" not in g:
        g.queue = Queue(current_app.config.get("QUEUE_URL", "memory://"))
    return g.queue


def enqueue(name):
    return f"{get_queue().url}/{name}"


def label(name):
    return name.upper()
'''
VIEWS = '''\
from flask import Blueprint

from shop.tasks import {name}

bp = Blueprint("shop", __name__)


@bp.get("/ping")
def ping():
    return {{"ok": True}}


@bp.post("/jobs/<name>")
def job(name):
    return {{"job": {name}(name)}}
'''


@pytest.mark.parametrize(("name", "converts"), [("enqueue", False), ("label", True)])
def test_a_blueprint_calling_a_helper_on_flasks_context_stays(tmp_path: Path, name: str, converts: bool) -> None:
    folder = tmp_path / "project"
    (folder / "shop").mkdir(parents=True)
    for module, text in {"__init__": APP, "tasks": TASKS, "views": VIEWS.format(name=name)}.items():
        (folder / "shop" / f"{module}.py").write_text(text, encoding="utf-8")
    result = port(str(folder))
    stays = [note for note in result.notes if note.startswith("blueprint shop (shop/views.py) stays Flask: shop/views.py calls")]
    assert bool(stays) != converts, result.notes
    if converts:  # the helper reads nothing of Flask: the Blueprint converts, main.py serves it
        assert result.routes_ported == 2 and "shop.views" in result.after["main.py"], result.notes
        return
    assert "calls enqueue of shop/tasks.py, which needs Flask's context" in stays[0]
    # the view that does not call it moves alone; the other keeps the Flask route
    assert result.routes_moved == 1 and "def ping(" in result.after["shop/views_fastapi.py"], result.notes
    assert "def job(" not in result.after["shop/views_fastapi.py"]
    assert any(note.startswith("shop/views.py:13 job stays Flask: it uses enqueue, which needs Flask")
               for note in result.notes), result.notes
