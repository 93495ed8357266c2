"""`migrate-audit port`: error handlers, request hooks and `g`, ported where FastAPI answers as Flask did (run
side by side here), and left where it would not."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from _tools import load_module as _module
from migrate_audit.port import port

HOOKED = '''\
from flask import Flask, g, request

app = Flask(__name__)
CALLS = []


class Refused(Exception):
    pass


@app.before_request
def first():
    CALLS.append("first")
    g.user = request.headers.get("X-User")


@app.before_request
def second():
    CALLS.append("second")
    if g.user is None:
        return {"detail": "who are you"}, 401


@app.after_request
def stamp(response):
    CALLS.append("stamp")
    response.headers["X-Seen-By"] = "hooks"
    return response


@app.after_request
def stamp_first(response):
    CALLS.append("stamp_first")
    response.headers["X-Order"] = response.headers.get("X-Seen-By", "none")
    return response


@app.teardown_request
def done(exc):
    CALLS.append("done")


@app.errorhandler(404)
def not_found(error):
    return {"missing": request.path}, 404


@app.errorhandler(Refused)
def refused(error):
    return "<p>refused</p>", 403


@app.get("/me")
def me():
    return {"user": g.user, "known": g.get("user") is not None, "has": "user" in g}


@app.get("/refuse")
def refuse():
    raise Refused()
'''


def _port(tmp_path: Path, source: str, notes: list[str] | None = None) -> str:
    folder = tmp_path / "project"
    folder.mkdir(exist_ok=True)
    (folder / "app.py").write_text(textwrap.dedent(source), encoding="utf-8")
    result = port(str(folder))
    if notes is not None:
        notes += result.notes
    return result.after.get("app.py", source)


def test_hooks_handlers_and_g_answer_as_flask_did(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    text = _port(tmp_path, HOOKED)
    assert "TODO" not in text.replace("TODO(migrate-audit FMA402)", "")  # the after hooks' note only
    assert "@app.exception_handler(404)" in text and "@app.exception_handler(Refused)" in text
    # wrapped at 88 columns, as ruff formats it (port/layout.py)
    assert 'return {\n        "user": request.state.user,\n        "known": getattr(request.state, "user", None) ' \
           'is not None,\n        "has": hasattr(request.state, "user"),\n    }' in text
    (tmp_path / "flask_side.py").write_text(HOOKED, encoding="utf-8")
    (tmp_path / "fastapi_side.py").write_text(text, encoding="utf-8")
    flask_app, fastapi_app = _module(tmp_path / "flask_side.py", "flask_side"), _module(tmp_path / "fastapi_side.py", "fastapi_side")
    clients = {"flask": flask_app.app.test_client(), "fastapi": TestClient(fastapi_app.app)}
    seen = {}
    for side, client in clients.items():
        module = flask_app if side == "flask" else fastapi_app
        answers = []
        for path, headers in (("/me", {"X-User": "ada"}), ("/me", {}), ("/nowhere", {"X-User": "ada"}),
                              ("/refuse", {"X-User": "ada"})):
            module.CALLS.clear()
            response = client.get(path, headers=headers)
            answers.append((response.status_code, response.headers.get("content-type"), response.get_data(as_text=True)
                            if side == "flask" else response.text, response.headers.get("X-Seen-By"),
                            response.headers.get("X-Order"), list(module.CALLS)))
        seen[side] = answers
    for flask_answer, fastapi_answer in zip(seen["flask"], seen["fastapi"]):
        status, content_type, body, *rest = flask_answer
        assert (status, content_type, *rest) == (fastapi_answer[0], fastapi_answer[1], *fastapi_answer[3:])
        if content_type == "application/json":
            import json

            assert json.loads(body) == json.loads(fastapi_answer[2])
        else:
            assert body == fastapi_answer[2]


@pytest.mark.parametrize("source, why", [
    ('@app.errorhandler(400)\ndef bad(error):\n    return {"bad": True}, 400\n', "Flask raises 400 itself while parsing"),
    ('@app.errorhandler(404)\ndef nf(error):\n    return {"detail": error.description}, 404\n', "the handler reads error"),
    ('@app.errorhandler(NotFound)\ndef nf(error):\n    return "gone", 404\n', "is not a status, an exception class of this module"),
    ('@app.before_request\ndef guard():\n    abort(401)\n', "FMA224 in it is left to people"),
    ('@app.after_request\ndef cookie(response):\n    response.set_cookie("a", "b")\n    return response\n',
     "uses the response otherwise than its headers"),
    ('@bp.before_request\ndef guard():\n    pass\n', "bp is not the Flask app of this module"),
])
def test_what_would_answer_otherwise_is_left(tmp_path: Path, source: str, why: str) -> None:
    notes: list[str] = []
    text = _port(tmp_path, "from flask import Blueprint, Flask, abort\nfrom werkzeug.exceptions import NotFound\n\n"
                 'app = Flask(__name__)\nbp = Blueprint("bp", __name__)\n\n\n' + source +
                 '\n\n@app.get("/")\ndef home():\n    return {}\n', notes)
    assert "app = Flask(__name__)" in text and any(why in note for note in notes), notes


BLUEPRINT_HOOKED = '''\
from flask import Blueprint, Flask

api = Blueprint("api", __name__, url_prefix="/api")


@api.get("/books")
def books():
    return ["Dune"]


@api.after_request
def no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


app = Flask(__name__)
app.register_blueprint(api)


@app.get("/api-like")
def elsewhere():
    return {}
'''


def test_a_blueprints_after_hook_runs_for_its_views_only(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    text = _port(tmp_path, BLUEPRINT_HOOKED)
    assert "if _routed_to(request, api):" in text and "api.after_request" not in text
    (tmp_path / "bp_flask.py").write_text(BLUEPRINT_HOOKED, encoding="utf-8")
    (tmp_path / "bp_fastapi.py").write_text(text, encoding="utf-8")
    flask_client = _module(tmp_path / "bp_flask.py", "bp_flask").app.test_client()
    fastapi_client = TestClient(_module(tmp_path / "bp_fastapi.py", "bp_fastapi").app)
    for method, path in (("GET", "/api/books"), ("GET", "/api-like"), ("GET", "/api/nowhere"), ("POST", "/api/books")):
        flask_answer, fastapi_answer = flask_client.open(path, method=method), fastapi_client.request(method, path)
        assert (flask_answer.status_code, flask_answer.headers.get("Cache-Control")) == \
            (fastapi_answer.status_code, fastapi_answer.headers.get("Cache-Control")), (method, path)


def test_hooks_in_an_app_factory_go_in_its_body_with_its_handlers(tmp_path: Path) -> None:
    notes: list[str] = []
    text = _port(tmp_path, '''\
        from flask import Flask


        def create_app():
            app = Flask(__name__, static_folder="static", template_folder="templates")

            @app.errorhandler(404)
            def not_found(error):
                return {"missing": True}, 404

            @app.before_request
            def start():
                pass

            @app.get("/")
            def home():
                return {}

            return app
        ''', notes)
    # the middleware goes in the factory's body, beside the hooks (test_port_factory_hooks.py runs it)
    assert "app = FastAPI()" in text and '    @app.middleware("http")' in text and "@app.before_request" not in text, text


SIGNALLED = '''\
from flask import Flask, got_request_exception, request_finished, request_started

app = Flask(__name__)
LOG = []


@request_started.connect_via(app)
def on_start(sender, **extra):
    LOG.append("started")


@request_finished.connect
def on_finish(sender, response, **extra):
    LOG.append(f"finished {response.status_code}")


@got_request_exception.connect_via(app)
def on_error(sender, exception, **extra):
    LOG.append(f"error {type(exception).__name__}")


@app.get("/ok")
def ok():
    LOG.append("view")
    return {"ok": True}
'''


def test_request_signals_are_sent_by_the_middleware_in_flasks_order(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    text = _port(tmp_path, SIGNALLED)
    assert "connect" not in text and "await run_in_threadpool(on_finish, app, response=response)" in text
    (tmp_path / "sig_flask.py").write_text(SIGNALLED, encoding="utf-8")
    (tmp_path / "sig_fastapi.py").write_text(text, encoding="utf-8")
    flask_module, fastapi_module = _module(tmp_path / "sig_flask.py", "sig_flask"), _module(tmp_path / "sig_fastapi.py", "sig_fastapi")
    flask_module.app.test_client().get("/ok")
    TestClient(fastapi_module.app).get("/ok")
    assert flask_module.LOG == fastapi_module.LOG == ["started", "view", "finished 200"]


def test_a_receiver_that_uses_its_sender_is_left(tmp_path: Path) -> None:
    notes: list[str] = []
    text = _port(tmp_path, SIGNALLED.replace('LOG.append("started")', 'LOG.append(sender.name)'), notes)
    assert "app = Flask(__name__)" in text


def test_a_registered_error_handler_is_added_to_fastapi(tmp_path: Path) -> None:
    text = _port(tmp_path, '''\
        from flask import Flask

        app = Flask(__name__)


        class Missing(Exception):
            pass


        def missing(error):
            return {"missing": True}, 404


        def gone(error):
            return "<p>gone</p>", 410


        app.register_error_handler(Missing, missing)
        app.register_error_handler(410, gone)


        @app.get("/")
        def home():
            raise Missing()
        ''')
    assert "app.add_exception_handler(Missing, missing)" in text and "app.add_exception_handler(410, gone)" in text
    assert "def missing(request: Request, error):" in text
    assert 'return JSONResponse({"missing": True}, status_code=404)' in text
    assert 'return HTMLResponse("<p>gone</p>", status_code=410)' in text
