"""Golden snapshots of every report format for the sample project (tests/fixtures/report_sample).

The files in tests/golden/ change only on purpose: run with MIGRATE_AUDIT_UPDATE_GOLDEN=1 to rewrite them,
then review the diff. The date and duration are fixed and the project is scanned by a relative path, so
the output is byte-identical on every machine.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from _report_support import GOLDEN, SAMPLE_ROOT_URI, fixed_context, scan_sample
from migrate_audit.report.formats import RENDERERS

UPDATE = os.environ.get("MIGRATE_AUDIT_UPDATE_GOLDEN") == "1"
EXTENSIONS = {"json": "json", "html": "html", "sarif": "sarif", "markdown": "md", "csv": "csv"}


@pytest.mark.parametrize("output_format", sorted(EXTENSIONS))
def test_report_matches_golden(output_format: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report, result = scan_sample(tmp_path, monkeypatch)
    rendered = RENDERERS[output_format](report, fixed_context(result))
    # SARIF names the scanned folder as an absolute file:// URI, the one machine-specific value.
    rendered = rendered.replace(Path(result.root).resolve().as_uri() + "/", SAMPLE_ROOT_URI)
    golden = GOLDEN / f"report_sample.{EXTENSIONS[output_format]}"
    if UPDATE:
        golden.parent.mkdir(exist_ok=True)
        golden.write_bytes(rendered.encode("utf-8"))  # bytes: CSV keeps its \r\n
    assert golden.is_file(), f"{golden} is missing; create it with MIGRATE_AUDIT_UPDATE_GOLDEN=1"
    expected = golden.read_bytes().decode("utf-8")
    assert rendered == expected, (
        f"{output_format} report differs from {golden.name}; if the change is intended, "
        "regenerate with MIGRATE_AUDIT_UPDATE_GOLDEN=1 and review the diff"
    )


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


@pytest.mark.parametrize("output_format", sorted(EXTENSIONS))
def test_bookshelf_reports_match_golden(output_format: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample app of the README's quick start, every format, as a snapshot updated only on purpose."""
    import shutil

    from migrate_audit.config import Settings
    from migrate_audit.report.build import build_report
    from migrate_audit.scan import run_scan

    shutil.copytree(Path(__file__).parents[1] / "examples" / "bookshelf", tmp_path / "bookshelf")
    monkeypatch.chdir(tmp_path)
    result = run_scan(["bookshelf"], Settings(), jobs=1)
    rendered = RENDERERS[output_format](build_report(result), fixed_context(result))
    rendered = rendered.replace(Path(result.root).resolve().as_uri() + "/", "file:///BOOKSHELF/")
    golden = GOLDEN / f"bookshelf_report.{EXTENSIONS[output_format]}"
    if UPDATE:
        golden.write_bytes(rendered.encode("utf-8"))
    assert golden.is_file(), f"{golden} is missing; create it with MIGRATE_AUDIT_UPDATE_GOLDEN=1"
    assert rendered == golden.read_bytes().decode("utf-8"), (
        f"{output_format} report of the sample app differs from {golden.name}; if intended, regenerate with "
        "MIGRATE_AUDIT_UPDATE_GOLDEN=1 and review the diff"
    )
