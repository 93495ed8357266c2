"""Golden snapshots of the reports of one small sample project (tests/fixtures/report_sample).

JSON, HTML, Markdown and CSV are compared byte for byte with tests/golden/report_sample.*. SARIF is not
snapshotted whole: it embeds a descriptor of every rule of the registry, so any edit of any rule's text
would rewrite it. Its golden is an outline instead (every key path it uses, its counts of results per
rule and level, and everything in it outside the rule descriptors and the results), the results are
checked against the JSON report and the descriptors against the registry (tests/test_report_sarif.py),
and the whole log against the official schema. A report that changes still fails here; a rule text
edit changes only the reports that show that rule.

The files in tests/golden/ change only on purpose: run with MIGRATE_AUDIT_UPDATE_GOLDEN=1 to rewrite them,
then review the diff. The date and duration are fixed and the project is scanned by a relative path, so
the output is byte-identical on every machine.
"""
from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from _report_support import GOLDEN, SAMPLE_ROOT_URI, fixed_context, scan_sample
from migrate_audit.report.formats import RENDERERS

UPDATE = os.environ.get("MIGRATE_AUDIT_UPDATE_GOLDEN") == "1"
EXTENSIONS = {"json": "json", "html": "html", "markdown": "md", "csv": "csv"}
SARIF_OUTLINE = GOLDEN / "report_sample.sarif-outline.json"


def _rendered(output_format: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    report, result = scan_sample(tmp_path, monkeypatch)
    rendered = RENDERERS[output_format](report, fixed_context(result))
    # SARIF names the scanned folder as an absolute file:// URI, the one machine-specific value.
    return rendered.replace(Path(result.root).resolve().as_uri() + "/", SAMPLE_ROOT_URI)


def _check(golden: Path, rendered: str, what: str) -> None:
    if UPDATE:
        golden.parent.mkdir(exist_ok=True)
        golden.write_bytes(rendered.encode("utf-8"))  # bytes: CSV keeps its \r\n
    assert golden.is_file(), f"{golden} is missing; create it with MIGRATE_AUDIT_UPDATE_GOLDEN=1"
    assert rendered == golden.read_bytes().decode("utf-8"), (
        f"{what} differs from {golden.name}; if the change is intended, regenerate with "
        "MIGRATE_AUDIT_UPDATE_GOLDEN=1 and review the diff"
    )


@pytest.mark.parametrize("output_format", sorted(EXTENSIONS))
def test_report_matches_golden(output_format: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rendered = _rendered(output_format, tmp_path, monkeypatch)
    _check(GOLDEN / f"report_sample.{EXTENSIONS[output_format]}", rendered, f"{output_format} report")


def sarif_outline(log: dict[str, Any]) -> dict[str, Any]:
    """What a SARIF log is made of, without the text of the rule descriptors: every key path (list items
    as `[]`), the results counted per rule, level and suppression, and every other value of the run."""
    paths: set[str] = set()
    pending: list[tuple[str, Any]] = [("", log)]
    while pending:
        path, value = pending.pop()
        if isinstance(value, dict):
            pending += [(f"{path}.{key}" if path else key, item) for key, item in value.items()]
        elif isinstance(value, list):
            pending += [(f"{path}[]", item) for item in value]
        else:
            paths.add(path)
    (run,) = log["runs"]
    results = Counter(f"{r['ruleId']} {r['level']}" + (" suppressed" if "suppressions" in r else "")
                      for r in run["results"])
    return {
        "$schema": log["$schema"],
        "version": log["version"],
        "paths": sorted(paths),
        "driver": {key: value for key, value in run["tool"]["driver"].items() if key != "rules"},
        "results": dict(sorted(results.items())),
        "run": {key: value for key, value in run.items() if key not in ("tool", "results")},
    }


def test_sarif_outline_matches_golden(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    outline = sarif_outline(json.loads(_rendered("sarif", tmp_path, monkeypatch)))
    _check(SARIF_OUTLINE, json.dumps(outline, indent=1, ensure_ascii=False) + "\n", "the SARIF report's outline")


def test_rendering_twice_is_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report, result = scan_sample(tmp_path, monkeypatch)
    context = fixed_context(result)
    for name, render in RENDERERS.items():
        assert render(report, context) == render(report, context), name


def test_golden_sample_covers_what_the_reports_show(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The goldens are only worth keeping if the sample exercises each part of the reports."""
    report, _ = scan_sample(tmp_path, monkeypatch)
    findings = report["findings"]
    assert report["root"] == "sample"
    assert report["config"] == "sample/pyproject.toml"
    assert any(f["suppressed"] for f in findings)
    assert any(f["verdict"] == "none" for f in findings)
    assert report["extensions"]
    assert [d["kind"] for d in report["diagnostics"]] == ["syntax-error"]
    assert {"shelf/books", "shelf/admin"} <= {u["name"] for u in report["units"]}
    assert not any(f["path"].startswith("scripts/") for f in findings), "the config's exclude applies"
