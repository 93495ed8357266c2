"""`scan --diff-base REF`: the diff parser, and the gate on real temporary git repositories."""
from __future__ import annotations

import json
import os
from importlib.resources import files
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from migrate_audit.diffbase import parse_diff, unquote_path

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.invalid",
}
APP = """\
from flask import Flask
from gevent import monkey
app = Flask(__name__)
monkey.patch_all()
"""
# FMA723 (gevent's monkey-patching, verdict none) is the blocker the gate looks for.
NEW_BLOCKER = "monkey.patch_all(thread=False)\n"


def git(*args: str, cwd: Path) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env=dict(os.environ, **GIT_ENV), capture_output=True,
                          text=True, check=True, timeout=60)
    return done.stdout


def scan(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "migrate_audit", "scan", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120, stdin=subprocess.DEVNULL)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "app.py").write_text(APP)
    git("init", "-q", "-b", "main", cwd=root)
    git("add", ".", cwd=root)
    git("commit", "-q", "-m", "first", cwd=root)
    return root


def findings(result: subprocess.CompletedProcess[str]) -> list[tuple[str, int, str, bool]]:
    report = json.loads(result.stdout)
    return [(f["path"], f["line"], f["code"], f["changed"]) for f in report["findings"]]


def test_parse_diff() -> None:
    diff = "\n".join([
        "diff --git a/pkg/app.py b/pkg/app.py",
        "--- a/pkg/app.py",
        "+++ b/pkg/app.py",
        "@@ -3,0 +4,2 @@ app = Flask(__name__)",  # two lines added after line 3
        "+x",
        "+y",
        "@@ -10 +12 @@",  # one line changed (no counts means 1)
        "-a",
        "+b",
        "@@ -20,3 +21,0 @@",  # a pure deletion adds no line
        "--- a/gone.py",
        "+++ /dev/null",
        "@@ -1,2 +0,0 @@",
        '+++ "b/odd\\tname \\303\\251.py"',
        "@@ -0,0 +1 @@",
    ])
    assert parse_diff(diff) == {"pkg/app.py": {4, 5, 12}, "odd\tname é.py": {1}}


@pytest.mark.parametrize(
    ("quoted", "path"),
    [
        pytest.param("plain/path.py", "plain/path.py", id="unquoted"),
        pytest.param('"a\\"b\\\\c.py"', 'a"b\\c.py', id="quote-and-backslash"),
        pytest.param('"caf\\303\\251.py"', "café.py", id="octal-utf8"),
    ],
)
def test_unquote_path(quoted: str, path: str) -> None:
    assert unquote_path(quoted) == path


def test_no_change_passes_and_marks_nothing(repo: Path) -> None:
    result = scan(".", "--diff-base", "HEAD", "--fail-on", "blocker", "--format", "json", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert findings(result) == [("pkg/app.py", 1, "FMA910", False), ("pkg/app.py", 3, "FMA101", False),
                                ("pkg/app.py", 4, "FMA723", False)]
    report = json.loads(result.stdout)
    assert report["diff_base"] == "HEAD"
    assert report["summary"]["changed_findings"] == 0


def test_a_new_blocker_line_fails_the_gate(repo: Path) -> None:
    with (repo / "pkg" / "app.py").open("a") as handle:
        handle.write(NEW_BLOCKER)
    result = scan(".", "--diff-base", "HEAD", "--fail-on", "blocker", "--format", "json", cwd=repo)
    assert result.returncode == 1
    assert findings(result) == [
        ("pkg/app.py", 1, "FMA910", False), ("pkg/app.py", 3, "FMA101", False), ("pkg/app.py", 4, "FMA723", False),
        ("pkg/app.py", 5, "FMA723", True),
    ]
    schema = json.loads(files("migrate_audit").joinpath("schema/report.schema.json").read_text())
    jsonschema.validate(json.loads(result.stdout), schema)  # the added keys are part of the contract
    assert result.stderr.splitlines() == [
        "migrate-audit: gate failed: 1 finding(s) match --fail-on blocker on lines changed since HEAD",
        "  pkg/app.py:5:1: FMA723 `patch_all()` monkey-patches the standard library: gevent/eventlet green threads",
    ]


def test_text_output_says_how_many_findings_are_on_changed_lines(repo: Path) -> None:
    with (repo / "pkg" / "app.py").open("a") as handle:
        handle.write(NEW_BLOCKER)
    result = scan(".", "--diff-base", "HEAD", cwd=repo)
    assert result.returncode == 0  # no gate asked for
    assert "Since HEAD: 1 findings on changed lines." in result.stdout.splitlines()


def test_untracked_files_count_as_changed_in_full(repo: Path) -> None:
    (repo / "pkg" / "new.py").write_text(APP)
    result = scan(".", "--diff-base", "HEAD", "--fail-on", "blocker", "--format", "json", cwd=repo)
    assert result.returncode == 1
    assert [f for f in findings(result) if f[0] == "pkg/new.py"] == [
        ("pkg/new.py", 1, "FMA910", True), ("pkg/new.py", 3, "FMA101", True), ("pkg/new.py", 4, "FMA723", True),
    ]


def test_paths_are_relative_to_the_scan_root_in_a_subfolder(repo: Path) -> None:
    with (repo / "pkg" / "app.py").open("a") as handle:
        handle.write(NEW_BLOCKER)
    result = scan("pkg", "--diff-base", "HEAD", "--format", "json", cwd=repo)
    assert ("app.py", 5, "FMA723", True) in findings(result)


def test_committed_changes_since_an_older_ref(repo: Path) -> None:
    with (repo / "pkg" / "app.py").open("a") as handle:
        handle.write(NEW_BLOCKER)
    git("commit", "-q", "-am", "second", cwd=repo)
    assert scan(".", "--diff-base", "HEAD", "--fail-on", "blocker", cwd=repo).returncode == 0
    assert scan(".", "--diff-base", "HEAD~1", "--fail-on", "blocker", cwd=repo).returncode == 1


def test_baseline_and_diff_base_together(repo: Path, tmp_path: Path) -> None:
    with (repo / "pkg" / "app.py").open("a") as handle:
        handle.write(NEW_BLOCKER)
    baseline = tmp_path / "baseline.json"
    assert scan(".", "--write-baseline", str(baseline), cwd=repo).returncode == 0
    # The changed line's finding is in the baseline: accepted debt, so the gate passes.
    result = scan(".", "--diff-base", "HEAD", "--baseline", str(baseline), "--fail-on", "blocker", cwd=repo)
    assert result.returncode == 0, result.stderr


def test_a_missing_ref_is_one_line_and_exit_2(repo: Path) -> None:
    result = scan(".", "--diff-base", "origin/main", "--fail-on", "blocker", cwd=repo)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "migrate-audit: error: --diff-base origin/main: no such commit in this clone; fetch it first "
        "(git fetch --depth=<n> origin <branch>, or fetch-depth: 0 in actions/checkout)\n"
    )


def test_a_shallow_clone_says_so(repo: Path, tmp_path: Path) -> None:
    with (repo / "pkg" / "app.py").open("a") as handle:
        handle.write(NEW_BLOCKER)
    git("commit", "-q", "-am", "second", cwd=repo)
    clone = tmp_path / "clone"
    git("clone", "-q", "--depth", "1", f"file://{repo}", str(clone), cwd=tmp_path)
    result = scan(".", "--diff-base", "HEAD~1", cwd=clone)
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1
    assert "no such commit in this shallow clone" in result.stderr
    assert "fetch-depth: 0" in result.stderr


def test_an_option_like_ref_is_refused(repo: Path) -> None:
    result = scan(".", "--diff-base=--output=/tmp/x", cwd=repo)
    assert result.returncode == 2
    assert "give a git ref" in result.stderr


def test_outside_a_git_repository(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(APP)
    result = scan(".", "--diff-base", "HEAD", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("migrate-audit: error: --diff-base needs a git repository")


def test_before_the_first_commit_everything_is_new(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(APP)
    git("init", "-q", "-b", "main", cwd=tmp_path)
    git("add", ".", cwd=tmp_path)
    result = scan(".", "--diff-base", "HEAD", "--fail-on", "blocker", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    assert all(f[3] for f in findings(result))


def test_staged_counts_the_staged_lines_only(repo: Path) -> None:
    """`--staged` (the pre-commit hook): the index against HEAD; unstaged edits and untracked files are
    not part of the commit."""
    app = repo / "pkg" / "app.py"
    app.write_text(APP + NEW_BLOCKER)
    git("add", "pkg/app.py", cwd=repo)
    app.write_text(APP + NEW_BLOCKER + NEW_BLOCKER)  # line 6: not staged
    (repo / "pkg" / "other.py").write_text(APP)  # untracked
    result = scan(".", "--staged", "--format", "json", cwd=repo)
    assert result.returncode == 0, result.stderr
    changed = [(path, line, code) for path, line, code, is_changed in findings(result) if is_changed]
    assert changed == [("pkg/app.py", 5, "FMA723")]
    assert json.loads(result.stdout)["diff_base"] == "HEAD"


def test_staged_before_the_first_commit_and_with_nothing_staged(repo: Path, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    (fresh / "app.py").write_text(APP)
    git("init", "-q", "-b", "main", cwd=fresh)
    git("add", ".", cwd=fresh)
    assert all(f[3] for f in findings(scan(".", "--staged", "--format", "json", cwd=fresh)))
    # Nothing staged: no diff to gate on, every finding counts, and stderr says so.
    result = scan(".", "--staged", "--fail-on", "blocker", "--format", "json", cwd=repo)
    assert result.returncode == 1
    assert "diff_base" not in json.loads(result.stdout)
    assert result.stderr.startswith("migrate-audit: --staged: nothing is staged")


def test_staged_with_diff_base_or_outside_git_is_one_line_and_exit_2(repo: Path, tmp_path: Path) -> None:
    both = scan(".", "--staged", "--diff-base", "HEAD", cwd=repo)
    assert (both.returncode, both.stderr) == (2, "migrate-audit: error: --staged gates on the lines staged for "
                                                 "commit, --diff-base on those changed since a ref: give one of "
                                                 "them\n")
    (tmp_path / "app.py").write_text(APP)
    outside = scan("app.py", "--staged", cwd=tmp_path)
    assert outside.returncode == 2
    assert outside.stderr.startswith("migrate-audit: error: --staged needs a git repository")
