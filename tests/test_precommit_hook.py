"""The `.pre-commit-hooks.yaml` hook, run by pre-commit's own `try-repo` against a temporary project.

`try-repo` clones this repository at HEAD (plus tracked, uncommitted changes) and installs it into a
fresh virtualenv, so this test needs the hook file committed and a package index that pip can reach:
it is the slowest test in the suite (one install per run, two runs).
"""
from __future__ import annotations

import os
import shlex
import shutil
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


SAMPLE_APP = HOOK_REPO / "examples" / "bookshelf"
# A new module of the sample app that adds a cover folder to the admin: `CoverAdmin` comes from a module the
# commit does not touch, and only the project index knows it is a Flask-Admin FileAdmin (FMA356, a blocker).
NEW_ADMIN_MODULE = """\
from ..admin import COVERS, CoverAdmin
from ..extensions import admin

admin.add_view(CoverAdmin(COVERS, "/static/covers/", name="Covers", endpoint="more_covers"))
"""


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=dict(os.environ, **GIT_ENV), check=True, capture_output=True,
                   timeout=60)


def run_hook(project: Path, staged: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """The hook as pre-commit runs it, from the repository's root: `entry`, then `args`, then the staged
    files that match `types` when `pass_filenames` (only the installation is left out)."""
    hook = yaml.safe_load((HOOK_REPO / ".pre-commit-hooks.yaml").read_text())[0]
    entry = shlex.split(hook["entry"])
    assert entry[0] == "migrate-audit"
    command = [sys.executable, "-m", "migrate_audit", *entry[1:], *hook["args"]]
    if hook["pass_filenames"]:
        command += [name for name in staged if name.endswith(".py")]
    env = dict(os.environ, MIGRATE_AUDIT_CACHE_DIR=str(tmp_path / "cache"))
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=300,
                          stdin=subprocess.DEVNULL)


@pytest.fixture
def sample_repo(tmp_path: Path) -> Path:
    """A git repository holding the sample app in a subfolder, as in a monorepo, all committed."""
    project = tmp_path / "repo"
    shutil.copytree(SAMPLE_APP, project / "bookshelf")
    git("init", "-q", "-b", "main", cwd=project)
    git("add", ".", cwd=project)
    git("commit", "-q", "-m", "legacy Flask app", cwd=project)
    return project


def test_hook_resolves_names_across_the_project_and_gates_the_staged_lines(sample_repo: Path,
                                                                          tmp_path: Path) -> None:
    new = "bookshelf/bookshelf/catalog/more.py"
    (sample_repo / new).write_text(NEW_ADMIN_MODULE)
    git("add", new, cwd=sample_repo)
    done = run_hook(sample_repo, [new], tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stderr.splitlines()
    assert "migrate-audit: gate failed: 1 finding(s) match --fail-on blocker on lines changed since HEAD" in lines
    # The path from the repository's root: `more.py:5:1` alone could be any of the project's files.
    listed = [line for line in lines if line.startswith("  ")]
    assert len(listed) == 1 and listed[0].startswith(f"  {new}:4:16: FMA356 "), listed


def test_hook_passes_on_old_blockers_and_ignores_what_is_not_staged(sample_repo: Path, tmp_path: Path) -> None:
    views = sample_repo / "bookshelf/bookshelf/catalog/views.py"
    views.write_text(views.read_text() + "\nPAGE_SIZE = 20\n")  # a staged change without Flask
    git("add", ".", cwd=sample_repo)
    (sample_repo / "bookshelf/bookshelf/catalog/more.py").write_text(NEW_ADMIN_MODULE)  # untracked
    done = run_hook(sample_repo, ["bookshelf/bookshelf/catalog/views.py"], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "gate failed" not in done.stderr


def test_hook_with_nothing_staged_gates_on_every_finding(sample_repo: Path, tmp_path: Path) -> None:
    """`pre-commit run --all-files` in CI, on a clean checkout: no staged diff, so the whole project is
    checked (the sample app has blockers), and the output says why."""
    done = run_hook(sample_repo, [], tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stderr.splitlines()
    assert lines[0] == ("migrate-audit: --staged: nothing is staged (pre-commit run --all-files on a clean "
                        "checkout?), so every finding counts")
    failed = next(line for line in lines if line.startswith("migrate-audit: gate failed: "))
    assert failed.endswith("finding(s) match --fail-on blocker") and "changed" not in failed
    assert all(line.startswith("  bookshelf/") for line in lines[2:] if not line.startswith("  ... and "))


def try_repo(project: Path, home: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, **GIT_ENV, PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never",
               MIGRATE_AUDIT_CACHE_DIR=str(home / "migrate-audit-cache"))
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(HOOK_REPO), "migrate-audit", *extra],
        cwd=project, env=env, capture_output=True, text=True, timeout=900, stdin=subprocess.DEVNULL,
    )


def hook_outcome(done: subprocess.CompletedProcess[str]) -> str:
    line = next(line for line in done.stdout.splitlines()
                if line.startswith("migrate-audit (no new Flask migration blockers)"))
    return line.rsplit(".", 1)[-1]


def test_hook_definition() -> None:
    hooks = yaml.safe_load((HOOK_REPO / ".pre-commit-hooks.yaml").read_text())
    assert [h["id"] for h in hooks] == ["migrate-audit"]
    hook = hooks[0]
    assert hook["entry"] == "migrate-audit scan ."  # the whole project: pre-commit runs hooks from the root
    assert (hook["language"], hook["types"], hook["pass_filenames"], hook["require_serial"]) == (
        "python", ["python"], False, True)
    assert hook["args"] == ["--quiet", "--fail-under", "0", "--fail-on", "blocker", "--staged"]


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
    (project / "app.py").write_text(FLASK_WITH_BLOCKER + "DEBUG = False\n")
    git("add", "app.py", cwd=project)
    passed = try_repo(project, tmp_path / "pc-home")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert hook_outcome(passed) == "Passed", passed.stdout

    # A staged file that adds a blocker fails it, and the output says where.
    (project / "settings_loader.py").write_text(FLASK_WITH_BLOCKER)
    git("add", "settings_loader.py", cwd=project)
    failed = try_repo(project, tmp_path / "pc-home")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    lines = failed.stdout.splitlines()
    assert hook_outcome(failed) == "Failed", failed.stdout
    assert "migrate-audit: gate failed: 1 finding(s) match --fail-on blocker on lines changed since HEAD" in lines
    assert ("  settings_loader.py:4:1: FMA723 `patch_all()` monkey-patches the standard library: gevent/eventlet "
            "green threads") in lines

    # In CI, `--all-files` on a clean checkout has nothing staged: every finding counts.
    git("commit", "-q", "-m", "more", cwd=project)
    everything = try_repo(project, tmp_path / "pc-home", "--all-files")
    assert everything.returncode == 1 and hook_outcome(everything) == "Failed", everything.stdout
    assert "migrate-audit: gate failed: 2 finding(s) match --fail-on blocker" in everything.stdout.splitlines()
