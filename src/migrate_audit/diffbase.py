"""`scan --diff-base REF` and `scan --staged`: the lines changed, so that the gate counts only new Flask.

With `--diff-base REF`, changed means `git diff -U0 REF` (the working tree, staged or not, against REF)
plus untracked files, which count as changed in full. With `--staged` (the pre-commit hook), it means
the lines staged for commit, `git diff --cached` (pre-commit stashes the rest, so the working tree that
is scanned is the index); when nothing is staged (`pre-commit run --all-files` on a clean checkout in
CI) there is no diff to gate on, and every finding counts. git runs as a subprocess with explicit arguments (no shell), from the
repository that holds the scan root, with the user's diff settings that would change the output format
(prefixes, external diff, textconv, quoting) overridden.
"""
from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from typing import Any

from .config import ConfigError

_HUNK_RE = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_ESCAPES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}
_GIT_TIMEOUT = 120


@dataclass
class ChangedLines:
    """Lines changed since the ref, by path relative to the scan root; None means the whole file."""

    ref: str
    files: dict[str, frozenset[int] | None] = field(default_factory=dict)
    everything: bool = False  # no commit yet: every line is new

    def contains(self, path: str, line: int) -> bool:
        if self.everything:
            return True
        if path not in self.files:
            return False
        lines = self.files[path]
        return lines is None or line in lines


def _git(args: list[str], cwd: str) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, GIT_OPTIONAL_LOCKS="0", GIT_TERMINAL_PROMPT="0", LC_ALL="C")
    try:
        return subprocess.run(["git", *args], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=_GIT_TIMEOUT, check=False)
    except FileNotFoundError:
        raise ConfigError("--diff-base needs git, and git is not on PATH") from None
    except subprocess.TimeoutExpired:
        raise ConfigError(f"--diff-base: git {args[0]} took over {_GIT_TIMEOUT}s; giving up") from None


def _first_line(data: bytes) -> str:
    text = data.decode("utf-8", "replace").strip()
    return text.splitlines()[0] if text else ""


def unquote_path(text: str) -> str:
    """git's C-style quoting of unusual paths (`"a\\tb"`, octal-escaped UTF-8 bytes) undone."""
    if not (len(text) >= 2 and text.startswith('"') and text.endswith('"')):
        return text
    body, out, i = text[1:-1], bytearray(), 0
    while i < len(body):
        char = body[i]
        if char != "\\" or i + 1 >= len(body):
            out += char.encode("utf-8", "surrogateescape")
            i += 1
        elif body[i + 1] in _ESCAPES:
            out.append(_ESCAPES[body[i + 1]])
            i += 2
        elif body[i + 1:i + 4].isdigit() and len(body[i + 1:i + 4]) == 3:
            out.append(int(body[i + 1:i + 4], 8) & 0xFF)
            i += 4
        else:
            out += body[i + 1].encode("utf-8", "surrogateescape")
            i += 2
    return out.decode("utf-8", "surrogateescape")


def parse_diff(diff: str) -> dict[str, set[int]]:
    """{repo-relative path: added or changed line numbers (new side)} from `git diff -U0` output."""
    changed: dict[str, set[int]] = {}
    current: set[int] | None = None
    for line in diff.split("\n"):
        if line.startswith("+++ "):
            target = unquote_path(line[4:].rstrip("\t"))
            if target == "/dev/null":
                current = None  # a deleted file has no lines left to carry findings
                continue
            current = changed.setdefault(target[2:] if target.startswith("b/") else target, set())
        elif line.startswith("@@") and current is not None:
            match = _HUNK_RE.match(line)
            if match:
                start, count = int(match.group(1)), int(match.group(2) or 1)
                current.update(range(start, start + count))  # count 0: a pure deletion adds no line
    return changed


def _check_ref(ref: str, top: str) -> bool:
    """True when `ref` names a commit; False for HEAD in a repository without commits yet."""
    if not ref or ref.startswith("-"):
        raise ConfigError(f"--diff-base {ref!r}: give a git ref such as origin/main, HEAD~1 or a commit hash")
    found = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], top)
    if found.returncode == 0:
        return True
    if ref == "HEAD" and _git(["rev-parse", "--verify", "--quiet", "HEAD"], top).returncode != 0:
        return False  # before the first commit (pre-commit on a new repository): everything is new
    shallow = _git(["rev-parse", "--is-shallow-repository"], top).stdout.strip() == b"true"
    raise ConfigError(
        f"--diff-base {ref}: no such commit in this {'shallow ' if shallow else ''}clone; fetch it first "
        f"(git fetch --depth=<n> origin <branch>, or fetch-depth: 0 in actions/checkout)"
    )


_DIFF = ["-c", "core.quotePath=false", "diff", "--no-color", "--no-ext-diff", "--no-textconv",
         "--src-prefix=a/", "--dst-prefix=b/", "-M", "-U0"]
STAGED_REF = "HEAD"  # what staged lines are changed since: the report's "diff_base" with --staged


def _toplevel(scan_root: str, option: str) -> str:
    where = _git(["rev-parse", "--show-toplevel"], scan_root)
    if where.returncode != 0:
        raise ConfigError(f"{option} needs a git repository, and {scan_root} is not in one")
    return os.fsdecode(where.stdout.strip())


def changed_lines(scan_root: str, ref: str) -> ChangedLines:
    """The lines changed since `ref` in the git repository that holds `scan_root`."""
    top = _toplevel(scan_root, "--diff-base")
    result = ChangedLines(ref)
    if not _check_ref(ref, top):
        result.everything = True
        return result
    diff = _git([*_DIFF, "--end-of-options", ref, "--"], top)
    if diff.returncode != 0:
        raise ConfigError(f"--diff-base {ref}: git diff failed: {_first_line(diff.stderr)}")
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z"], top)
    if untracked.returncode != 0:
        raise ConfigError(f"--diff-base {ref}: git ls-files failed: {_first_line(untracked.stderr)}")
    _add(result, scan_root, top, diff.stdout, [os.fsdecode(raw) for raw in untracked.stdout.split(b"\0") if raw])
    return result


def staged_lines(scan_root: str) -> ChangedLines | None:
    """The lines staged for commit in the git repository that holds `scan_root`; None when nothing is
    staged. Before the first commit, `git diff --cached` compares with the empty tree: all staged lines
    are new. Untracked files are not part of the commit, so they do not count."""
    top = _toplevel(scan_root, "--staged")
    diff = _git([*_DIFF, "--cached", "--"], top)
    if diff.returncode != 0:
        raise ConfigError(f"--staged: git diff --cached failed: {_first_line(diff.stderr)}")
    if not diff.stdout.strip():
        return None
    result = ChangedLines(STAGED_REF)
    _add(result, scan_root, top, diff.stdout, [])
    return result


def _add(result: ChangedLines, scan_root: str, top: str, diff: bytes, new_files: list[str]) -> None:
    """The diff's changed lines and the new files (whole), by path relative to the scan root."""
    root = os.path.realpath(scan_root)
    top = os.path.realpath(top)

    def scan_relative(repo_path: str) -> str | None:
        rel = os.path.relpath(os.path.join(top, repo_path), root).replace(os.sep, "/")
        return None if rel.startswith("../") or rel == ".." else rel

    for repo_path, lines in parse_diff(diff.decode("utf-8", "surrogateescape")).items():
        rel = scan_relative(repo_path)
        if rel is not None:
            result.files[rel] = frozenset(lines)
    for repo_path in new_files:
        rel = scan_relative(repo_path)
        if rel is not None:
            result.files[rel] = None


def mark_changed(report: dict[str, Any], changed: ChangedLines) -> None:
    """Add `changed` to every finding, and the ref and the count of changed findings to the report."""
    for finding in report["findings"]:
        finding["changed"] = changed.contains(finding["path"], finding["line"])
    report["diff_base"] = changed.ref
    report["summary"]["changed_findings"] = sum(
        1 for f in report["findings"] if f["changed"] and not f["suppressed"]
    )
