"""The names the first query of a file collects besides the imports' (bindings._predicted_names): a guess
that saves rounds of name resolution a query each, and must never change what resolution finds."""
from __future__ import annotations

from pathlib import Path

import pytest

from migrate_audit import bindings
from migrate_audit.engine import analyze_python
from migrate_audit.scan import run_scan
from migrate_audit.config import Settings

from conftest import FIXTURES

PYTHON_FIXTURES = sorted(FIXTURES.rglob("*.py"))
CHAIN = '''from flask import Blueprint

class PluginModule(Blueprint):
    pass

class ServerModule(PluginModule):
    pass

blueprint = ServerModule("server", __name__)
other = helper(blueprint)

@blueprint.route("/<int:sid>")
def view(sid):
    return blueprint.name
'''


def test_classes_and_module_level_calls_chain_from_the_hints() -> None:
    assert bindings._predicted_names(CHAIN, {"Blueprint"}) == {
        "Blueprint", "PluginModule", "ServerModule", "blueprint"}
    # On the first line too (the regex looks for a newline before the others).
    assert bindings._predicted_names("bp = Blueprint('x', __name__)\n", {"Blueprint"}) == {"Blueprint", "bp"}
    # Assigned in a function, or a call of a name that binds nothing: no guess.
    text = "def f():\n    bp = Blueprint('x', __name__)\nx = other(1)\n"
    assert bindings._predicted_names(text, {"Blueprint"}) == {"Blueprint"}


def _without_guesses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bindings, "_predicted_names", lambda text, hints: frozenset(hints))


def _summary(result) -> tuple:  # type: ignore[no-untyped-def]
    return ([(f.code, f.line, f.column, f.message, f.confidence, f.suppressed) for f in result.findings],
            result.exports, [(d.kind, d.line, d.message) for d in result.diagnostics], result.blueprints)


@pytest.mark.parametrize("fixture", PYTHON_FIXTURES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_guesses_change_no_analysis(fixture: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = fixture.read_text(encoding="utf-8", errors="replace")
    guessed = analyze_python(text, fixture.name)
    _without_guesses(monkeypatch)
    assert _summary(analyze_python(text, fixture.name)) == _summary(guessed)


def test_guesses_change_no_analysis_of_the_chain(monkeypatch: pytest.MonkeyPatch) -> None:
    guessed = analyze_python(CHAIN, "views.py")
    assert guessed.exports.get("blueprint") == "flask.Blueprint()" and guessed.findings
    _without_guesses(monkeypatch)
    assert _summary(analyze_python(CHAIN, "views.py")) == _summary(guessed)


def test_guesses_change_no_project_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    """Across modules too: the index makes names of other modules hints."""
    projects = sorted(p for p in (FIXTURES / "projects").iterdir() if p.is_dir())
    guessed = [run_scan([str(p)], Settings(), jobs=1) for p in projects]
    _without_guesses(monkeypatch)
    plain = [run_scan([str(p)], Settings(), jobs=1) for p in projects]
    for a, b in zip(guessed, plain):
        assert a.files and [_summary(r) for r in a.files] == [_summary(r) for r in b.files]
