"""The result cache: warm scans give byte-identical reports, and only what changed is analysed again."""
from __future__ import annotations

import collections
import os
from pathlib import Path

import pytest

from migrate_audit import scan as scan_module
from migrate_audit.cli import main
from migrate_audit.config import Settings

from conftest import FIXTURES

PROJECT = FIXTURES / "projects" / "factory_app"


@pytest.fixture
def project(factory_app_copy: Path) -> Path:
    return factory_app_copy


@pytest.fixture
def analysed(monkeypatch: pytest.MonkeyPatch) -> collections.Counter[str]:
    """Counts the files the engine really parses and analyses."""
    counts: collections.Counter[str] = collections.Counter()
    original = scan_module.analyze_python
    checked = scan_module.analyze_python_checked  # an analysis made again, reusing the syntax check

    def counting(text: str, relpath: str, index=None):  # type: ignore[no-untyped-def]
        counts[relpath] += 1
        return original(text, relpath, index)

    def counting_checked(text: str, relpath: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        counts[relpath] += 1
        return checked(text, relpath, *args, **kwargs)

    monkeypatch.setattr(scan_module, "analyze_python", counting)
    monkeypatch.setattr(scan_module, "analyze_python_checked", counting_checked)
    return counts


def test_warm_scan_analyses_nothing_and_reports_the_same(project: Path, tmp_path: Path, analysed) -> None:
    cache = str(tmp_path / "cache")
    cold = scan_module.run_scan([str(project)], Settings(), cache_dir=cache)
    assert sum(analysed.values()) >= 6
    analysed.clear()
    warm = scan_module.run_scan([str(project)], Settings(), cache_dir=cache)
    assert sum(analysed.values()) == 0
    assert [(f.path, f.findings) for f in warm.files] == [(f.path, f.findings) for f in cold.files]


def test_touching_a_file_reanalyses_only_it(project: Path, tmp_path: Path, analysed) -> None:
    cache = str(tmp_path / "cache")
    scan_module.run_scan([str(project)], Settings(), cache_dir=cache)
    views = project / "shop" / "catalog" / "views.py"
    os.utime(views, ns=(1, 1))  # touched, content unchanged
    pricing = project / "shop" / "pricing.py"
    pricing.write_text(pricing.read_text() + "\n# a comment\n")
    analysed.clear()
    scan_module.run_scan([str(project)], Settings(), cache_dir=cache)
    assert sum(analysed.values()) == 0  # views.py: same content; pricing.py: still no Flask


def test_changing_an_export_reanalyses_its_dependents(project: Path, tmp_path: Path, analysed) -> None:
    cache = str(tmp_path / "cache")
    scan_module.run_scan([str(project)], Settings(), cache_dir=cache)
    extensions = project / "shop" / "extensions.py"
    extensions.write_text(extensions.read_text().replace("login_manager = LoginManager()", "login_manager = None"))
    analysed.clear()
    scan_module.run_scan([str(project)], Settings(), cache_dir=cache)
    # extensions.py changed; shop/__init__.py imports login_manager from it; nothing else depends on it.
    assert sorted(analysed) == ["shop/__init__.py", "shop/extensions.py"]


def test_corrupted_cache_is_rebuilt(project: Path, tmp_path: Path, capsys) -> None:
    cache = tmp_path / "cache"
    assert main(["scan", str(project), "--format", "json", "--cache-dir", str(cache)]) == 0
    cold = capsys.readouterr().out
    for entry in cache.iterdir():
        entry.write_bytes(b"\x80\x04garbage")
    assert main(["scan", str(project), "--format", "json", "--cache-dir", str(cache)]) == 0
    assert capsys.readouterr().out == cold
    assert main(["scan", str(project), "--format", "json", "--cache-dir", str(cache)]) == 0
    assert capsys.readouterr().out == cold


def test_no_cache_writes_nothing(project: Path, tmp_path: Path, capsys) -> None:
    cache = tmp_path / "cache"
    assert main(["scan", str(project), "-q", "--no-cache", "--cache-dir", str(cache)]) == 0
    assert not cache.exists()


def test_cache_dir_inside_the_scanned_tree_is_refused(project: Path, capsys) -> None:
    assert main(["scan", str(project), "--cache-dir", str(project / ".mycache")]) == 2
    assert "inside the scanned folder" in capsys.readouterr().err


def test_warm_report_is_byte_identical_on_the_sample_app(tmp_path: Path, capsys) -> None:
    """The sample has wsgi.py and requirements: findings the project pass adds must not pile up in the
    cache from one run to the next."""
    sample = Path(__file__).parents[1] / "examples" / "bookshelf"
    argv = ["scan", str(sample), "--format", "json", "--cache-dir", str(tmp_path / "cache")]
    outputs = []
    for _ in range(3):
        assert main(argv) == 0
        outputs.append(capsys.readouterr().out)
        for saved in (tmp_path / "cache").glob("*.report.pickle"):
            saved.unlink()  # the per-file cache is under test here, not the saved report (test_report_cache.py)
    assert outputs[0] == outputs[1] == outputs[2]


def test_an_analysis_made_again_reuses_the_syntax_check_of_the_same_bytes(tmp_path: Path) -> None:
    """A file analysed again because the project index changed (an import cycle) keeps the syntax check
    of its first analysis, the costliest step, only while its bytes are the ones that check read."""
    from migrate_audit.index.result_cache import content_hash
    from migrate_audit.model import SourceFile, SyntaxCheck
    from migrate_audit.index.resolve import ProjectIndex

    path = tmp_path / "app.py"
    path.write_text("from flask import request\nprint 'python 2'\n")
    source = SourceFile(str(path), "app.py", "python")
    first, syntax, digest = scan_module._analyze_task((source, True, "", None, ("", 0)), ProjectIndex())
    assert syntax is not None and syntax.kind == "syntax-error" and digest == content_hash(path.read_bytes())
    assert [d.kind for d in first.diagnostics] == ["syntax-error"]
    # The same bytes: the check given is used as it is (a made-up one here, to see that it is not rerun).
    made_up = SyntaxCheck("syntax-error", "made up", 9)
    again, reused, _ = scan_module._analyze_task((source, True, digest, made_up, ("", 0)), ProjectIndex())
    assert reused is made_up and [(d.message, d.line) for d in again.diagnostics] == [("made up", 9)]
    assert [(f.code, f.line) for f in again.findings] == [(f.code, f.line) for f in first.findings]
    # An exports-only analysis (a file another shard reports) makes no check, so it hands none on.
    assert scan_module._analyze_task((source, False, digest, made_up, ("", 0)), ProjectIndex())[1] is None
    # Other bytes: Python's check runs again.
    path.write_text("from flask import request\nx = request.args\n")
    fixed, checked, _ = scan_module._analyze_task((source, True, digest, made_up, ("", 0)), ProjectIndex())
    assert checked == SyntaxCheck() and fixed.diagnostics == []


def test_another_python_uses_another_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Which syntax the running Python accepts decides the syntax diagnostics: a cache made under 3.11 must
    not answer a scan under 3.12 (the cache folder is shared by every virtualenv of the user)."""
    from migrate_audit.index import result_cache as cache_module

    cache_module.tool_fingerprint.cache_clear()
    here = cache_module.tool_fingerprint()
    monkeypatch.setattr(cache_module.sys, "version", "3.99.0 (a Python from the future)")
    cache_module.tool_fingerprint.cache_clear()
    try:
        assert cache_module.tool_fingerprint() != here
    finally:
        monkeypatch.undo()
        cache_module.tool_fingerprint.cache_clear()
    assert cache_module.tool_fingerprint() == here
