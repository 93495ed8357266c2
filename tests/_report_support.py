"""Shared pieces of the report tests: the sample project, the hostile project, fixed run facts."""
from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from migrate_audit.config import load_settings
from migrate_audit.report.build import build_report
from migrate_audit.report.context import RenderContext
from migrate_audit.scan import ScanResult, run_scan

TESTS = Path(__file__).parent
REPO = TESTS.parent
SAMPLE = TESTS / "fixtures" / "report_sample"
GOLDEN = TESTS / "golden"
ARTIFACTS = REPO / "test-artifacts"
# The official schema lives in a shared folder beside the checkout, not in the repository: `shared/data/`
# next to it or next to a folder above it (a git worktree sits deeper), or where MIGRATE_AUDIT_SARIF_SCHEMA says.
_SCHEMA_NAME = "sarif-schema-2.1.0.json"
SARIF_SCHEMA = Path(os.environ.get("MIGRATE_AUDIT_SARIF_SCHEMA") or next(
    (str(folder / "shared" / "data" / _SCHEMA_NAME) for folder in REPO.parents
     if (folder / "shared" / "data" / _SCHEMA_NAME).is_file()),
    str(REPO.parent / "shared" / "data" / _SCHEMA_NAME)))

FIXED_DATE = "2026-01-31T12:00:00Z"
FIXED_DURATION = 0.25
SAMPLE_ROOT_URI = "file:///SAMPLE/"

PWN_SCRIPT = "</script><script>window.__pwned=1</script>"
PWN_IMG = '"><img src=x onerror=window.__pwned=1>'
JINJA_EXPR = "{{ 7*7 }}"
JINJA_RAW = "{% raw %}"
HOSTILE_STRINGS = (PWN_SCRIPT, PWN_IMG, JINJA_EXPR, JINJA_RAW)


def fixed_context(result: ScanResult) -> RenderContext:
    return RenderContext(source_root=result.root, generated_at=FIXED_DATE, duration=FIXED_DURATION)


def scan_sample(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, baseline: Any = None
) -> tuple[dict[str, Any], ScanResult]:
    """Scan a copy of the sample project as `sample`, from its parent folder, with its config given as
    `sample/pyproject.toml`: every path in the report is then the same on any machine."""
    shutil.copytree(SAMPLE, tmp_path / "sample")
    monkeypatch.chdir(tmp_path)
    settings = load_settings("sample/pyproject.toml", ["sample"])
    result = run_scan(["sample"], settings, jobs=1)
    return build_report(result, baseline), result


def make_hostile_project(tmp_path: Path) -> Path:
    """A project whose folder, file names, Blueprint names, route strings, comments and config file try
    to break out of HTML, attributes, <script> and jinja templates. Returns the folder to scan from."""
    root = tmp_path / PWN_IMG  # the scanned root's own name is hostile too
    package = root / JINJA_EXPR
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(
        "from flask import Blueprint, Flask, request\n"
        f"# {PWN_SCRIPT} {PWN_IMG} {JINJA_EXPR} {JINJA_RAW}\n"
        f"bp = Blueprint({PWN_SCRIPT!r}, __name__, template_folder={PWN_IMG!r})\n"
        f"app = Flask({JINJA_EXPR!r})\n"
        f"app.config.from_pyfile({JINJA_RAW!r})\n"
        "\n"
        f"@bp.route({'/' + PWN_SCRIPT!r})\n"
        "def view():\n"
        f"    return request.args[{PWN_IMG!r}]\n"
        "\n"
        "from gevent import monkey  # noqa: E402\n"
        f"monkey.patch_all()  # a blocker, so the blockers table lists this file: {PWN_SCRIPT}\n",
        encoding="utf-8",
    )
    (package / f"{PWN_IMG}.py").write_text(
        f"from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()  # {PWN_SCRIPT}\n", encoding="utf-8"
    )
    # A path cannot hold "/" in one name, so folders spell `x</script><script>window.__pwned=1</script>.py`.
    nested = root / "x<" / "script><script>window.__pwned=1<"
    nested.mkdir(parents=True)
    (nested / "script>.py").write_text(f"from flask import request\n\nvalue = request.form  # {PWN_IMG}\n",
                                       encoding="utf-8")
    (root / f"{JINJA_RAW}.py").write_text(f"from flask import request\n\ndef broken(:\n    '{PWN_SCRIPT}'\n",
                                          encoding="utf-8")
    (tmp_path / f"{PWN_IMG}.toml").write_text("[tool.migrate-audit]\nexclude = []\n", encoding="utf-8")
    return tmp_path


def scan_hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, Any], ScanResult]:
    base = make_hostile_project(tmp_path)
    monkeypatch.chdir(base)
    settings = load_settings(f"{PWN_IMG}.toml", [PWN_IMG])
    result = run_scan([PWN_IMG], settings, jobs=1)
    return build_report(result), result


def data_block(html: str) -> str:
    """The raw text of the findings JSON block of an HTML report."""
    match = re.search(r'<script type="application/json" id="ma-data">(.*?)</script>', html, re.DOTALL)
    assert match, "the HTML report has no findings data block"
    return match.group(1)


def load_sarif_schema() -> dict[str, Any]:
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"the official SARIF 2.1.0 schema is not at {SARIF_SCHEMA} (shared/data/ beside the checkout or "
                    "a folder above it); set MIGRATE_AUDIT_SARIF_SCHEMA to its path to run the schema checks")
    return json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))


def require_or_skip(reason: str) -> None:
    """Skip on a developer machine that lacks a tool; fail in CI, where .ci/run installs it."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must provide it: see .ci/run)")
    pytest.skip(reason)
