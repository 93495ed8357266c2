"""Rule tests: each fixture file carries its expected findings as `# FMA101: col` annotations, and the
full sorted list of (code, line, column, suppressed) must match: a false positive fails like a miss.

tests/fixtures/rules/<module>.py (and <module>_<case>.py) prove the rules of src/migrate_audit/rules/<module>.py;
negative_*.py hold code that must raise nothing Flask-specific; tests/fixtures/engine/ holds what name
resolution and suppression do across rules."""
from __future__ import annotations

from pathlib import Path

import pytest

from migrate_audit.engine import analyze_python
from migrate_audit.scan import run_scan
from migrate_audit.config import Settings
from migrate_audit.report.build import build_report

from conftest import FIXTURES, expected_findings

RULE_FIXTURES = sorted([*(FIXTURES / "rules").glob("*.py"), *(FIXTURES / "engine").glob("*.py")])
PROJECT_FIXTURES = sorted(p for p in (FIXTURES / "projects").iterdir() if p.is_dir())


def actual(findings) -> list[tuple[str, int, int, bool]]:
    return sorted((f.code, f.line, f.column, f.suppressed) for f in findings)


@pytest.mark.parametrize("fixture", RULE_FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_rule_fixture(fixture: Path) -> None:
    text = fixture.read_text(encoding="utf-8")
    result = analyze_python(text, fixture.name)
    assert actual(result.findings) == expected_findings(text)
    assert [d for d in result.diagnostics if d.kind == "rule-error"] == []


@pytest.mark.parametrize("project", PROJECT_FIXTURES, ids=lambda p: p.name)
def test_project_fixture(project: Path) -> None:
    """Multi-module fixtures: names bound in one module (`db = SQLAlchemy()`) resolve in the others, and
    the report applies what only the whole project tells (rules/_project_facts.py: one adoption per
    extension, session and Babel claims checked against the project's setup)."""
    result = run_scan([str(project)], Settings(), jobs=1)
    reported = build_report(result)["findings"]
    for file in result.files:
        text = (project / file.path).read_text(encoding="utf-8")
        found = sorted((f["code"], f["line"], f["column"], f["suppressed"]) for f in reported if f["path"] == file.path)
        assert found == expected_findings(text), file.path
    assert result.files, "the project fixture has no Python files"
