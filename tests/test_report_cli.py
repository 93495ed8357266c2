"""`scan` with several report files at once, `--format` for each renderer, and safe writing."""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from _report_support import GOLDEN, SAMPLE, data_block
from migrate_audit import cli, pipeline
from migrate_audit.report import formats
from migrate_audit.cli import main

SCAN = ["scan", "sample", "--config", "sample/pyproject.toml", "-q", "--jobs", "1"]


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(SAMPLE, tmp_path / "sample")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return tmp_path


def _count_scans(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = pipeline.run_scan

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "run_scan", counting)
    return calls


def test_every_format_from_one_scan(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scans = _count_scans(monkeypatch)
    code = main([*SCAN, "--json", "a.json", "--html", "a.html", "--sarif", "a.sarif", "--markdown", "a.md",
                 "--csv", "a.csv"])
    assert code == 0
    assert len(scans) == 1
    report = json.loads((project / "a.json").read_text())
    assert (project / "a.json").read_text() == (GOLDEN / "report_sample.json").read_text()
    html = (project / "a.html").read_text()
    assert [f["fingerprint"] for f in report["findings"]] == [
        f["fingerprint"] for f in json.loads((GOLDEN / "report_sample.json").read_text())["findings"]
    ]
    assert len(json.loads(data_block(html))["findings"]) == len(report["findings"])
    assert re.search(r"<dt>Duration</dt><dd>\d+\.\d\d s</dd>", html)  # the CLI passes the scan's duration
    assert re.search(r"<dt>Date</dt><dd>20\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ</dd>", html)
    sarif = json.loads((project / "a.sarif").read_text())
    assert len(sarif["runs"][0]["results"]) == len(report["findings"])
    assert f"Readiness {report['summary']['readiness']}/100" in (project / "a.md").read_text()
    rows = list(csv.DictReader(io.StringIO((project / "a.csv").read_text(), newline="")))
    assert len(rows) == len(report["findings"])
    assert not list(project.glob(".migrate-audit-*"))  # no temporary file left behind


@pytest.mark.parametrize(("output_format", "start"), [
    ("html", "<!DOCTYPE html>"), ("sarif", "{"), ("markdown", "## migrate-audit"), ("csv", "code,rule,title"),
])
def test_format_prints_to_stdout(project: Path, capsys: pytest.CaptureFixture[str], output_format: str,
                                 start: str) -> None:
    assert main([*SCAN, "--format", output_format]) == 0
    out = capsys.readouterr().out
    assert out.startswith(start)
    if output_format == "sarif":
        assert json.loads(out)["version"] == "2.1.0"


def test_source_date_epoch_dates_the_html(project: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert main([*SCAN, "--format", "html"]) == 0
    assert "<dt>Date</dt><dd>2026-01-01T00:00:00Z</dd>" in capsys.readouterr().out


@pytest.mark.parametrize("option", ["--html", "--sarif", "--markdown", "--csv"])
def test_unwritable_output_fails_before_scanning(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str], option: str) -> None:
    scans = _count_scans(monkeypatch)
    assert main([*SCAN, "--json", "ok.json", option, "no/such/folder/report"]) == 2
    assert scans == []
    assert "cannot write no/such/folder/report" in capsys.readouterr().err
    assert not (project / "ok.json").exists()


def test_interrupted_render_writes_no_file(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "a.json").write_text("old json")

    def interrupted(report, context):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setitem(formats.RENDERERS, "sarif", interrupted)
    assert main([*SCAN, "--json", "a.json", "--html", "a.html", "--sarif", "a.sarif"]) == 130
    assert (project / "a.json").read_text() == "old json"
    assert not (project / "a.html").exists() and not (project / "a.sarif").exists()
    assert not list(project.glob(".migrate-audit-*"))


def test_markdown_shows_the_delta_against_a_baseline(project: Path) -> None:
    assert main([*SCAN, "--write-baseline", "baseline.json"]) == 0
    readiness = json.loads((project / "baseline.json").read_text())["summary"]["readiness"]
    assert main([*SCAN, "--baseline", "baseline.json", "--markdown", "pr.md", "--json", "now.json"]) == 0
    assert f"(baseline {readiness} → {readiness}: **+0**)" in (project / "pr.md").read_text()
    assert json.loads((project / "now.json").read_text())["summary"]["baseline_readiness"] == readiness


def test_a_baseline_of_the_old_schema_gives_fingerprints_but_no_score_delta(project: Path) -> None:
    """Version 1 scored points per line: its readiness cannot be compared with today's."""
    assert main([*SCAN, "--write-baseline", "baseline.json"]) == 0
    old = json.loads((project / "baseline.json").read_text())
    old["schema_version"] = "1"
    (project / "baseline.json").write_text(json.dumps(old))
    assert main([*SCAN, "--baseline", "baseline.json", "--json", "now.json"]) == 0
    summary = json.loads((project / "now.json").read_text())["summary"]
    assert "baseline_readiness" not in summary and summary["new_findings"] == 0


def test_report_options_come_from_the_renderer_table() -> None:
    names = {param.name for param in cli.scan.params}
    assert {f"{name}_file" for name in formats.RENDERERS} <= names
    output_format = next(p for p in cli.scan.params if p.name == "output_format")
    assert set(output_format.type.choices) == {"text", *formats.RENDERERS}  # type: ignore[attr-defined]
