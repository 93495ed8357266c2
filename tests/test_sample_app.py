"""End to end on the sample app in examples/: the README's quick-start scan.

The expected findings are a golden list reviewed by hand (`tests/golden/bookshelf.findings`); it changes
only on purpose: `MIGRATE_AUDIT_UPDATE_GOLDEN=1 pytest tests/test_sample_app.py` rewrites it, and the
diff is then read line by line before committing.
"""
from __future__ import annotations

import json
import os
from importlib.resources import files

import jsonschema

from migrate_audit.cli import main

from conftest import REPO

SAMPLE = REPO / "examples" / "bookshelf"
GOLDEN = REPO / "tests" / "golden" / "bookshelf.findings"
SCHEMA = json.loads(files("migrate_audit").joinpath("schema/report.schema.json").read_text())


def scan(capsys, *extra: str) -> tuple[int, dict]:
    code = main(["scan", str(SAMPLE), "--format", "json", "--jobs", "1", *extra])
    return code, json.loads(capsys.readouterr().out)


def test_sample_findings_match_the_golden_list(capsys) -> None:
    code, report = scan(capsys)
    assert code == 0
    lines = [f"{f['path']}:{f['line']}:{f['column']} {f['code']}" for f in report["findings"]]
    if os.environ.get("MIGRATE_AUDIT_UPDATE_GOLDEN"):
        GOLDEN.write_text("\n".join(lines) + "\n")
    assert lines == GOLDEN.read_text().splitlines()


def test_sample_report_is_valid_and_complete(capsys) -> None:
    _, report = scan(capsys)
    jsonschema.validate(report, SCHEMA)
    summary = report["summary"]
    assert summary["files_not_audited"] == 0 and report["diagnostics"] == []
    assert {e["name"] for e in report["extensions"]} == {
        "Celery", "Flask-Admin", "Flask-CORS", "Flask-Injector", "Flask-Login", "Flask-Marshmallow",
        "Flask-Migrate", "Flask-Pydantic", "Flask-RESTX", "Flask-SQLAlchemy", "rq"}
    blueprints = sorted(bp for unit in report["units"] for bp in unit["blueprints"])
    assert blueprints == ["api", "auth", "catalog", "partner_api"]
    services = next(f for f in report["files"] if f["path"] == "bookshelf/services.py")
    assert services["findings"] == 0 and services["readiness"] == 100


def test_sample_gate(capsys) -> None:
    assert scan(capsys, "--fail-under", "101")[0] == 1
    assert scan(capsys, "--fail-under", "0")[0] == 0
