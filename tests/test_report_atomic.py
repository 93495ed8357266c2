"""write_text_atomic: all or nothing, and a file mode fit for sharing."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from migrate_audit.report import atomic
from migrate_audit.report.atomic import write_text_atomic


def test_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_text_atomic(str(tmp_path / "r.html"), "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "r.html").stat().st_mode) == 0o644


def test_existing_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "r.csv"
    target.write_text("old")
    target.chmod(0o640)
    write_text_atomic(str(target), "new")
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_failure_leaves_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "r.json"
    target.write_text("old")

    def crash(src: str, dst: str) -> None:
        raise KeyboardInterrupt  # Ctrl-C between writing and renaming

    monkeypatch.setattr(atomic.os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        write_text_atomic(str(target), "new")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json"]


def test_undecodable_file_names_do_not_crash_the_writer(tmp_path: Path) -> None:
    # os.fsdecode(b"\xff.py") == "\udcff.py": how a non-UTF-8 file name reaches the report.
    write_text_atomic(str(tmp_path / "r.json"), '{"path": "\udcff.py"}')
    assert (tmp_path / "r.json").read_bytes() == b'{"path": "\\udcff.py"}'
