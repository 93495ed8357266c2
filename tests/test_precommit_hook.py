"""The `.pre-commit-hooks.yaml` hook, run by pre-commit's own `try-repo` against a temporary project.

`try-repo` clones this repository at HEAD (plus tracked, uncommitted changes) and installs it into a
fresh virtualenv, so this test needs the hook file committed and a package index that pip can reach:
it is the slowest test in the suite (one install per run, two runs).
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

HOOK_REPO = Path(__file__).resolve().parents[1]
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.invalid",
}
FLASK_WITH_BLOCKER = """\
from flask import Flask
from gevent import monkey
app = Flask(__name__)
monkey.patch_all()
"""


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=dict(os.environ, **GIT_ENV), check=True, capture_output=True,
                   timeout=60)


def try_repo(project: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, **GIT_ENV, PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never")
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(HOOK_REPO), "migrate-audit", "--all-files"],
        cwd=project, env=env, capture_output=True, text=True, timeout=900, stdin=subprocess.DEVNULL,
    )


def test_hook_definition() -> None:
    hooks = yaml.safe_load((HOOK_REPO / ".pre-commit-hooks.yaml").read_text())
    assert [h["id"] for h in hooks] == ["migrate-audit"]
    hook = hooks[0]
    assert hook["entry"] == "migrate-audit scan"
    assert (hook["language"], hook["types"], hook["pass_filenames"], hook["require_serial"]) == (
        "python", ["python"], True, True)
    assert hook["args"] == ["--quiet", "--fail-under", "0", "--fail-on", "blocker", "--diff-base", "HEAD"]


@pytest.mark.slow  # pre-commit installs the hook into a fresh virtualenv: ~15-50 s
def test_try_repo_passes_on_old_flask_and_fails_on_a_new_blocker(tmp_path: Path) -> None:
    tracked = subprocess.run(["git", "ls-files", "--error-unmatch", ".pre-commit-hooks.yaml"], cwd=HOOK_REPO,
                             capture_output=True, timeout=60)
    if tracked.returncode != 0:
        pytest.fail("commit .pre-commit-hooks.yaml first: try-repo only sees committed and tracked files")

    project = tmp_path / "project"
    project.mkdir()
    (project / "app.py").write_text(FLASK_WITH_BLOCKER)
    git("init", "-q", "-b", "main", cwd=project)
    git("add", ".", cwd=project)
    git("commit", "-q", "-m", "legacy Flask app", cwd=project)

    # Committed Flask code, blocker included, is not this commit's doing: the hook passes.
    passed = try_repo(project, tmp_path / "pc-home")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert any(line.startswith("migrate-audit (no new Flask migration blockers)") and line.endswith("Passed")
               for line in passed.stdout.splitlines()), passed.stdout

    # A staged file that adds a blocker fails it, and the output says where.
    (project / "settings_loader.py").write_text(FLASK_WITH_BLOCKER)
    git("add", "settings_loader.py", cwd=project)
    failed = try_repo(project, tmp_path / "pc-home")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    lines = failed.stdout.splitlines()
    assert any(line.startswith("migrate-audit (no new Flask migration blockers)") and line.endswith("Failed")
               for line in lines), failed.stdout
    assert "migrate-audit: gate failed: 1 finding(s) match --fail-on blocker on lines changed since HEAD" in lines
    assert ("  settings_loader.py:4:1: FMA723 `patch_all()` monkey-patches the standard library: gevent/eventlet "
            "green threads") in lines
