"""`Shadowing` reads each function's assignments and `for` statements from the file's first query
(`FileContext.binders`) instead of a query of the function's body: the same binders, so the same
analysis, on every fixture."""
from __future__ import annotations

from pathlib import Path

import pytest

from migrate_audit import bindings, engine
from migrate_audit.engine import analyze_python

from conftest import FIXTURES

PYTHON_FIXTURES = sorted(FIXTURES.rglob("*.py"))
NESTED = '''from flask import request, Flask

app = Flask(__name__)
request_count = 0

def outer(request):
    for app in range(3):
        x = y = request.args

    def inner():
        request = 1
        return request

    lam = lambda: request.form
    return app.name

def uses():
    return request.args, app.name
'''


def _queried_per_body(monkeypatch: pytest.MonkeyPatch) -> None:
    bind = bindings.bind_imports

    def without_binders(*args, **kwargs):  # type: ignore[no-untyped-def]
        bound = bind(*args, **kwargs)
        bound.ctx.binders = None  # Shadowing then queries each top-level function's body, as before
        return bound

    monkeypatch.setattr(engine, "bind_imports", without_binders)


def _summary(result) -> tuple:  # type: ignore[no-untyped-def]
    return ([(f.code, f.line, f.column, f.message, f.confidence, f.suppressed) for f in result.findings],
            result.exports, [(d.kind, d.line, d.message) for d in result.diagnostics])


@pytest.mark.parametrize("fixture", [*PYTHON_FIXTURES, None], ids=lambda p: str(p.relative_to(FIXTURES)) if p else "nested")
def test_binders_of_the_first_query_change_no_analysis(fixture: Path | None, monkeypatch: pytest.MonkeyPatch) -> None:
    text = fixture.read_text(encoding="utf-8", errors="replace") if fixture else NESTED
    name = fixture.name if fixture else "nested.py"
    collected = analyze_python(text, name)
    _queried_per_body(monkeypatch)
    assert _summary(analyze_python(text, name)) == _summary(collected)


def test_first_query_binders_are_in_document_order() -> None:
    bound = bindings.bind_imports(NESTED, "nested.py", None)
    starts = [node.range().start.index for node in bound.ctx.binders or ()]
    assert len(starts) == 7 and starts == sorted(starts)
