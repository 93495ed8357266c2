"""The baseline carries the previous readiness into the report (`summary.baseline_readiness`)."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from _report_support import scan_sample
from migrate_audit.report.formats import render_json
from migrate_audit.config import ConfigError
from migrate_audit.report.build import Baseline, load_baseline


def _write(path: Path, data: object) -> str:
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_load_baseline_keeps_fingerprints_and_readiness(tmp_path: Path) -> None:
    path = _write(tmp_path / "b.json", {"summary": {"readiness": 42},
                                        "findings": [{"fingerprint": "A"}, {"fingerprint": "A"}, {"fingerprint": "B"}]})
    baseline = load_baseline(path)
    assert isinstance(baseline, Counter)  # callers that treat it as a Counter keep working
    assert baseline == Counter({"A": 2, "B": 1})
    assert baseline.readiness == 42


@pytest.mark.parametrize("summary", [None, {}, {"readiness": "90"}, {"readiness": True}, {"readiness": 101}, []])
def test_load_baseline_without_a_usable_readiness(tmp_path: Path, summary: object) -> None:
    data: dict[str, object] = {"findings": [{"fingerprint": "A"}]}
    if summary is not None:
        data["summary"] = summary
    baseline = load_baseline(_write(tmp_path / "b.json", data))
    assert baseline == Counter({"A": 1})
    assert baseline.readiness is None


def test_load_baseline_still_rejects_non_reports(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not a migrate-audit JSON report"):
        load_baseline(_write(tmp_path / "b.json", {"summary": {"readiness": 10}}))


def test_report_shows_the_baseline_readiness(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, _ = scan_sample(tmp_path / "one", monkeypatch)
    first["summary"]["readiness"] = 71  # as if the project scored 71 when the baseline was written
    baseline = load_baseline(_write(tmp_path / "baseline.json", json.loads(render_json(first))))
    second, _ = scan_sample(tmp_path / "two", monkeypatch, baseline=baseline)
    assert second["summary"]["baseline_readiness"] == 71
    assert second["summary"]["new_findings"] == 0


def test_no_baseline_key_without_a_baseline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report, _ = scan_sample(tmp_path, monkeypatch)
    assert "baseline_readiness" not in report["summary"]
    assert "new_findings" not in report["summary"]


def test_plain_counter_baseline_still_accepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report, _ = scan_sample(tmp_path, monkeypatch, baseline=Counter())
    assert "baseline_readiness" not in report["summary"]
    assert report["summary"]["new_findings"] == report["summary"]["findings"]
    assert Baseline().readiness is None
