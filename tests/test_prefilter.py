"""The text pre-filter decides which files are never parsed. It may let through a file without findings,
never hold back one with findings: scanning with it forced open must report exactly the same."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO
from migrate_audit import names
from migrate_audit import scan as scan_module
from migrate_audit.config import Settings
from migrate_audit.prefilter import mentions_interest
from migrate_audit.scan import run_scan

PROJECTS = {
    "rule fixtures": FIXTURES / "rules",
    "bookshelf": REPO / "examples" / "bookshelf",
    "report_sample": FIXTURES / "report_sample",
    **{f"project {path.name}": path for path in sorted((FIXTURES / "projects").iterdir()) if path.is_dir()},
}


def report(path: Path) -> list[tuple[str, int, int, str, str]]:
    result = run_scan([str(path)], Settings(), jobs=1)
    return sorted((f.path, x.line, x.column, x.code, x.confidence.value) for f in result.files for x in f.findings)


@pytest.mark.parametrize("name", sorted(PROJECTS))
def test_the_prefilter_never_hides_a_finding(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    filtered = report(PROJECTS[name])
    assert filtered, "a fixture without findings proves nothing"
    # Forced open: every readable file mentions Flask as far as the scan can tell, so every one is parsed.
    monkeypatch.setattr(scan_module, "mentions_interest", lambda text: True)
    assert report(PROJECTS[name]) == filtered


def test_files_outside_the_filter_are_still_counted_but_not_parsed(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(FIXTURES / "projects" / "factory_app", tmp_path / "app")
    (tmp_path / "app" / "plain.py").write_text("def add(a, b):\n    return a + b\n")
    parsed: list[str] = []
    analyze = scan_module.analyze_python

    def recording(text: str, relpath: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        parsed.append(relpath)
        return analyze(text, relpath, *args, **kwargs)

    monkeypatch.setattr(scan_module, "analyze_python", recording)
    result = run_scan([str(tmp_path / "app")], Settings(), jobs=1)
    assert "plain.py" in {f.path for f in result.files}
    assert "plain.py" not in parsed and parsed


@pytest.mark.parametrize("root", sorted(names.interest_roots() | {"flask"}))
def test_every_catalogue_module_passes_the_filter(root: str) -> None:
    # The filter checks fewer words than the catalogue has modules (`flask` finds `flask_login`): each
    # module must still be found, alone in a file, and a short one only as a word of its own.
    assert mentions_interest(f"import {root}\n")
    assert mentions_interest(f"from {root}.sub import thing\n")
    if len(root) <= 4:
        assert not mentions_interest(f"x = {root}s_and_{root}y\n".replace(f"{root}s", f"x{root}s"))


def test_text_without_a_catalogue_module_is_filtered_out() -> None:
    assert not mentions_interest("import os\nimport json\n\ndef main():\n    return json.dumps(os.environ)\n")
