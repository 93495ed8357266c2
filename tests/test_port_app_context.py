"""`current_app.<attribute the module gives its app>` and `with app.app_context():` (port/app_context.py): the
module's one app is what current_app was; a pushed context whose body keeps nothing of Flask goes. Compared
beside Flask: in requests, and in a job run outside any."""
from __future__ import annotations

from pathlib import Path

import pytest
from _port_support import load_app, ported_project, side_by_side

from migrate_audit.port import port

pytest.importorskip("fastapi")
pytest.importorskip("flask")

APP = '''
from flask import Flask, current_app


class Outbox:
    def __init__(self, sender):
        self.sender = sender
        self.sent = []

    def send(self, to, subject):
        self.sent.append([self.sender, to, subject])


app = Flask(__name__)
app.outbox = Outbox("noreply@example.org")
app.greeting = "Welcome"


def send_welcome(address):
    current_app.outbox.send(address, f"{current_app.greeting}!")


@app.post("/signup/<address>")
def signup(address):
    send_welcome(address)
    return {"welcomed": address, "sent": len(current_app.outbox.sent)}, 201


def nightly(addresses):
    with app.app_context():
        for address in addresses:
            send_welcome(address)
        # still inside
        total = len(app.outbox.sent)
    return total
'''


def test_the_apps_own_attributes_answer_as_flasks(tmp_path: Path) -> None:
    folder, result = ported_project(tmp_path, APP)
    assert result.todos == [] and result.routes_ported == 1, (result.todos, result.notes)
    text = result.after["app.py"]
    assert "current_app" not in text and "app_context" not in text and "        total = len(" not in text
    flask_client, fastapi_client = side_by_side(tmp_path, folder, result, "app_context")
    for address in ("ada@example.org", "bob@example.org"):
        expected, got = flask_client.post(f"/signup/{address}"), fastapi_client.post(f"/signup/{address}")
        assert (got.status_code, got.json()) == (expected.status_code, expected.get_json())
    fastapi_module = load_app(tmp_path / "ported", "app_context_job_fastapi")
    flask_module = load_app(folder, "app_context_job_flask")
    assert fastapi_module.nightly(["c@example.org"]) == flask_module.nightly(["c@example.org"]) == 1
    assert fastapi_module.app.outbox.sent == flask_module.app.outbox.sent == [["noreply@example.org", "c@example.org",
                                                                               "Welcome!"]]


def test_porting_again_changes_nothing(tmp_path: Path) -> None:
    folder, result = ported_project(tmp_path, APP)
    (folder / "app.py").write_text(result.after["app.py"], encoding="utf-8")
    assert port(str(folder)).after.get("app.py", result.after["app.py"]) == result.after["app.py"]


@pytest.mark.parametrize(("change", "code", "why"), [
    # Flask's own attribute (FMA512 for the audit): kept, with its TODO
    (("current_app.greeting", "current_app.name"), "FMA512", "current_app.name"),
    # an attribute FastAPI's app has itself: the app is not given it, and stays Flask's
    (('app.greeting = "Welcome"', 'app.title = "Welcome"'), "FMA409", 'app.title = "Welcome"'),
    (("with app.app_context():", "with app.app_context() as context:"), "FMA410", "pushes it as a name"),
    (("        # still inside", "        current_app.logger.info('sent')"), "FMA410", "still needs Flask's context"),
])
def test_what_needs_flask_stays_flasks(tmp_path: Path, change: tuple[str, str], code: str, why: str) -> None:
    _, result = ported_project(tmp_path, APP.replace(*change))
    assert ("app.py", code) in result.todos, result.todos
    assert any(why in note for note in result.notes) or why in result.after.get("app.py", ""), result.notes
