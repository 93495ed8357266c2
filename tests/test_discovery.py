from __future__ import annotations

import os
from pathlib import Path

from migrate_audit.discovery import discover


def write(path: Path, text: str = "x = 1\n") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_walk_skips_what_nobody_audits(tmp_path: Path) -> None:
    for rel in ("app/views.py", "app/static/app.js", ".git/hooks/x.py", "node_modules/a/b.py",
                ".venv/lib/site-packages/flask/app.py", "env/lib/x.py", "build/lib/app.py",
                "pkg.egg-info/x.py", "app/__pycache__/v.py", "tools/manage.py"):
        write(tmp_path / rel)
    (tmp_path / "env" / "pyvenv.cfg").write_text("home = /usr\n")
    files, diagnostics, root = discover([str(tmp_path)])
    assert [f.relpath for f in files] == ["app/views.py", "tools/manage.py"]
    assert diagnostics == [] and root == str(tmp_path)


def test_exclude_globs(tmp_path: Path) -> None:
    write(tmp_path / "app/views.py")
    write(tmp_path / "app/migrations/0001.py")
    files, _, _ = discover([str(tmp_path)], exclude=("migrations",))
    assert [f.relpath for f in files] == ["app/views.py"]


def test_symlinks_are_not_followed(tmp_path: Path) -> None:
    write(tmp_path / "proj/app.py")
    write(tmp_path / "outside/secret.py")
    os.symlink(tmp_path / "outside", tmp_path / "proj/linked")
    os.symlink(tmp_path / "proj", tmp_path / "proj/loop")
    os.symlink(tmp_path / "missing.py", tmp_path / "proj/broken.py")
    files, diagnostics, _ = discover([str(tmp_path / "proj")])
    assert [f.relpath for f in files] == ["app.py"]
    assert sorted((d.path, d.kind) for d in diagnostics) == [
        ("broken.py", "broken-symlink"), ("linked", "symlink"), ("loop", "symlink")]


def test_several_paths_share_one_root(tmp_path: Path) -> None:
    write(tmp_path / "a/one.py")
    write(tmp_path / "b/two.py")
    files, _, root = discover([str(tmp_path / "a"), str(tmp_path / "b/two.py")])
    assert root == str(tmp_path) and [f.relpath for f in files] == ["a/one.py", "b/two.py"]


def test_fifo_is_never_opened(tmp_path: Path) -> None:
    write(tmp_path / "app.py")
    os.mkfifo(tmp_path / "pipe.py")
    files, diagnostics, _ = discover([str(tmp_path)])
    assert [f.relpath for f in files] == ["app.py"]
    assert [(d.path, d.kind) for d in diagnostics] == [("pipe.py", "not-a-file")]
