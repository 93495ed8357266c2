"""The saved report (report_cache.py): an unchanged scan reuses it, and any change to an input of the
report (a file, the file set, an included file, the settings, the baseline, the environment) scans again."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from migrate_audit import pipeline
from migrate_audit.cli import main

from conftest import FIXTURES

PROJECT = FIXTURES / "projects" / "factory_app"


@pytest.fixture
def project(factory_app_copy: Path) -> Path:
    return factory_app_copy


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The scans really run (not answered from the saved report)."""
    runs: list[str] = []
    real = pipeline.run_scan

    def counting(paths, *args, **kwargs):  # type: ignore[no-untyped-def]
        runs.append(paths[0])
        return real(paths, *args, **kwargs)

    monkeypatch.setattr(pipeline, "run_scan", counting)
    return runs


def scan(capsys: pytest.CaptureFixture[str], project: Path, cache: Path, *extra: str) -> dict:
    assert main(["scan", str(project), "--format", "json", "--jobs", "1", "--cache-dir", str(cache), *extra]) == 0
    return json.loads(capsys.readouterr().out)


def bump(path: Path, text: str | None = None) -> None:
    """Change a file (or only touch it) so that its modification time surely differs."""
    if text is not None:
        path.write_text(text, encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))


def test_an_unchanged_scan_reuses_the_report(project: Path, tmp_path: Path, capsys, scans) -> None:
    cache = tmp_path / "cache"
    first = scan(capsys, project, cache)
    assert scans == [str(project)]
    assert scan(capsys, project, cache) == first
    assert scan(capsys, project, cache, "--format", "json") == first
    assert scans == [str(project)]  # both answered from the saved report
    assert len(list(cache.glob("*.report.pickle"))) == 1


def test_a_changed_file_is_scanned_again(project: Path, tmp_path: Path, capsys, scans) -> None:
    cache = tmp_path / "cache"
    before = scan(capsys, project, cache)
    views = project / "shop" / "catalog" / "views.py"
    bump(views, views.read_text(encoding="utf-8") + "\nfrom flask import jsonify\nJ = jsonify\n")
    after = scan(capsys, project, cache)
    assert len(scans) == 2
    assert len(after["findings"]) > len(before["findings"])
    assert scan(capsys, project, cache) == after and len(scans) == 2


@pytest.mark.parametrize("change", ["touch", "new file", "removed file", "renamed file", "mode"])
def test_any_change_to_the_files_scans_again(project: Path, tmp_path: Path, capsys, scans, change: str) -> None:
    cache = tmp_path / "cache"
    scan(capsys, project, cache)
    views = project / "shop" / "catalog" / "views.py"
    if change == "touch":
        bump(views)
    elif change == "new file":
        (project / "shop" / "extra.py").write_text("from flask import request\nX = request.args\n")
    elif change == "removed file":
        views.unlink()
    elif change == "renamed file":
        views.rename(views.with_name("pages.py"))
    else:
        views.chmod(0o600)
    expected = json.loads(json.dumps(scan(capsys, project, tmp_path / "fresh-cache")))
    assert len(scans) == 2
    assert scan(capsys, project, cache) == expected
    assert len(scans) == 3


def test_an_included_file_outside_the_discovered_ones_is_followed(project: Path, tmp_path: Path, capsys,
                                                                   scans) -> None:
    """A requirements file may include a file of any name: the report depends on it too."""
    (project / "requirements.txt").write_text("-r deps/extra.list\n")
    (project / "deps").mkdir()
    extra = project / "deps" / "extra.list"
    extra.write_text("flask\n")
    cache = tmp_path / "cache"
    before = scan(capsys, project, cache)
    bump(extra, "flask\nflask-cors\n")
    after = scan(capsys, project, cache)
    assert len(scans) == 2 and after != before
    assert any(f["path"] == "deps/extra.list" for f in after["findings"])
    missing = project / "more.txt"
    (project / "requirements.txt").write_text("-r deps/extra.list\n-r more.txt\n")
    scan(capsys, project, cache)
    missing.write_text("flask-login\n")  # the include that was missing now exists
    scan(capsys, project, cache)
    assert len(scans) == 4


@pytest.mark.parametrize("extra", [("--select", "FMA1"), ("--ignore", "FMA101"), ("--shard", "1/2")])
def test_other_options_scan_again(project: Path, tmp_path: Path, capsys, scans, extra: tuple[str, ...]) -> None:
    cache = tmp_path / "cache"
    scan(capsys, project, cache)
    scan(capsys, project, cache, *extra)
    assert len(scans) == 2


def test_another_baseline_or_source_date_epoch_scans_again(project: Path, tmp_path: Path, capsys, scans,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    baseline = tmp_path / "baseline.json"
    assert main(["scan", str(project), "-q", "--jobs", "1", "--cache-dir", str(cache),
                 "--write-baseline", str(baseline)]) == 0
    capsys.readouterr()
    with_baseline = scan(capsys, project, cache, "--baseline", str(baseline))
    assert len(scans) == 2 and with_baseline["summary"]["new_findings"] == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    dated = scan(capsys, project, cache)
    assert len(scans) == 3 and dated["generated_at"] == "2023-11-14T22:13:20Z"


def test_a_corrupted_saved_report_is_ignored(project: Path, tmp_path: Path, capsys, scans) -> None:
    cache = tmp_path / "cache"
    first = scan(capsys, project, cache)
    for saved in cache.glob("*.report.pickle"):
        saved.write_bytes(b"\x80\x04garbage")
    assert scan(capsys, project, cache) == first
    assert len(scans) == 2
    assert scan(capsys, project, cache) == first and len(scans) == 2  # written again, valid


def test_no_cache_means_no_saved_report(project: Path, tmp_path: Path, capsys, scans) -> None:
    argv = ["scan", str(project), "-q", "--jobs", "1", "--no-cache"]
    assert main(argv) == 0 and main(argv) == 0
    assert len(scans) == 2


@pytest.mark.parametrize("changed", ["shop/catalog/views.py", "deps/extra.list"])
def test_a_file_changed_while_the_scan_runs_is_read_again(project: Path, tmp_path: Path, capsys,
                                                          monkeypatch: pytest.MonkeyPatch, changed: str) -> None:
    """The report of a scan that read a file before it changed must not stand for the changed file:
    discovered files are stamped before the scan, and a report whose included file changed meanwhile
    is not saved."""
    (project / "requirements.txt").write_text("-r deps/extra.list\n")
    (project / "deps").mkdir()
    (project / "deps" / "extra.list").write_text("flask\n")
    target = project / changed
    real = pipeline.run_scan
    runs: list[int] = []

    def change_after_reading(*args, **kwargs):  # type: ignore[no-untyped-def]
        result = real(*args, **kwargs)
        if not runs:
            bump(target, target.read_text(encoding="utf-8") + "\n")
        runs.append(1)
        return result

    monkeypatch.setattr(pipeline, "run_scan", change_after_reading)
    cache = tmp_path / "cache"
    scan(capsys, project, cache)
    scan(capsys, project, cache)
    assert len(runs) == 2
