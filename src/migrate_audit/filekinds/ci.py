"""CI configurations and Supervisor programs, read without a YAML or INI library: the shell commands they
run go to the shell-script reader (scripts.py, then the `command` text rules), the `FLASK_*` variables they
set to the `environment` rules, as for a Dockerfile.

CI files (`.travis.yml`, `.circleci/config.yml`, `.github/workflows/*.yml`, `.gitlab-ci.yml`, ...): the
values of the keys that hold commands (`run:`, `script:`, `command:`, ...), inline, as a list of items
or as a block scalar (`run: |`), and `FLASK_*` keys or `- FLASK_X=value` items anywhere (an `env:` or
`environment:` mapping or list). Supervisor: `command=` of a program section and the `FLASK_*` pairs of
its `environment=`.

Both readers keep every character of a command where it was and blank the rest, so a word's offset in the
text handed on is its offset in the file. Nothing else of the file is read: a Flask word in a `name:`, an
`echo`'s argument in a key that runs nothing or a comment is no command.
"""
from __future__ import annotations

import posixpath
import re

from ..model import Diagnostic
from ._base import FileHit, run_text_rules
from .deployment import EnvironmentVariable
from .scripts import analyze_shell_script

_CI_NAMES = frozenset({".travis.yml", ".gitlab-ci.yml", "bitbucket-pipelines.yml", "azure-pipelines.yml",
                       ".drone.yml", "appveyor.yml", ".appveyor.yml"})
_CI_FOLDERS = (".circleci", ".github/workflows", ".woodpecker")
_SUPERVISOR_RE = re.compile(r"^supervisord?(?:[-_.][\w.-]*)?\.conf$")

# A key whose value is run by a shell (GitHub `run`, CircleCI `command`, Travis and GitLab script phases).
_COMMAND_KEYS = frozenset({"run", "command", "script", "before_script", "after_script", "before_install",
                           "install", "before_deploy", "deploy", "after_success", "after_failure", "cmd",
                           "commands"})
_KEY_RE = re.compile(r"^([ \t]*)(-[ \t]+)?([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]+|$)(.*)$")
_ITEM_RE = re.compile(r"^([ \t]*)-[ \t]+(.*)$")
_ENV_RE = re.compile(r"^[ \t]*(?:-[ \t]+)?[\"']?(FLASK_[A-Za-z0-9_]+)[\"']?[ \t]*[:=][ \t]*(.*?)[ \t]*$")
_BLOCK_MARK_RE = re.compile(r"^[|>][+-]?\d*[ \t]*(?:#.*)?$")


def ci_kind(path: str) -> str | None:
    """`ci` for a CI configuration, `supervisor` for a Supervisor program file, else None."""
    folder, _, name = path.rpartition("/")
    if name in _CI_NAMES or (name.endswith((".yml", ".yaml")) and folder.endswith(_CI_FOLDERS)):
        return "ci"
    if name.endswith(".conf") and (_SUPERVISOR_RE.match(name) or "supervisor" in folder.split("/")):
        return "supervisor"
    return None


def _blank(text: str, keep: list[tuple[int, int]]) -> str:
    """`text` with only the `keep` spans (offsets) left, every other character but newlines a space."""
    chars = [ch if ch == "\n" else " " for ch in text]
    for start, end in keep:
        chars[start:end] = text[start:end]
    return "".join(chars)


def _unquoted(value: str, start: int) -> tuple[int, int]:
    """The span of a YAML scalar's content: without surrounding quotes or a trailing comment."""
    end = start + len(value)
    stripped = value.rstrip()
    if len(stripped) >= 2 and stripped[0] == stripped[-1] and stripped[0] in "\"'":
        return start + 1, start + len(stripped) - 1
    comment = value.find(" #")
    return start, start + comment if comment >= 0 else end


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def analyze_ci_config(text: str, relpath: str) -> tuple[list[FileHit], list[Diagnostic]]:
    keep: list[tuple[int, int]] = []
    hits: list[FileHit] = []
    # The command key whose value continues on the next lines: its column, and whether its value is a block
    # scalar (`run: |`, every more indented line a command) or a list (`script:` then `- flask test` items).
    open_key: tuple[int, bool] | None = None
    offset = 0
    for number, line in enumerate(text.split("\n"), 1):
        base, offset = offset, offset + len(line) + 1
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = _indent(line)
        if open_key is not None:
            column, scalar = open_key
            item = _ITEM_RE.match(line)
            if scalar and indent > column:
                keep.append((base + indent, base + len(line)))
                continue
            if not scalar and item and indent >= column and not _KEY_RE.match(line):
                start = len(item.group(1)) + 1
                start += len(line[start:]) - len(line[start:].lstrip(" \t"))
                keep.append(_shift(_unquoted(line[start:], start), base))
                continue
            if indent <= column:
                open_key = None
        env = _ENV_RE.match(line)
        if env:
            hits += run_text_rules("environment", EnvironmentVariable(
                env.group(1), env.group(2).strip("\"'"), number, line.index(env.group(1)) + 1))
            continue
        key = _KEY_RE.match(line)
        if key is None or key.group(3) not in _COMMAND_KEYS:
            continue
        value = key.group(4)
        column = len(key.group(1)) + len(key.group(2) or "")
        if not value.strip() or _BLOCK_MARK_RE.match(value.strip()):
            open_key = (column, bool(value.strip()))
            continue
        if value.lstrip().startswith("["):
            continue  # a flow sequence of arguments (`cmd: ["a", "b"]`): not a shell line
        keep.append(_shift(_unquoted(value, len(line) - len(value)), base))
    commands, _ = analyze_shell_script(_blank(text, keep), relpath)
    return hits + commands, []


def _shift(span: tuple[int, int], base: int) -> tuple[int, int]:
    return base + span[0], base + span[1]


_SUPERVISOR_KEY_RE = re.compile(r"^[ \t]*(command|environment)[ \t]*=[ \t]*(.*)$")
_PAIR_RE = re.compile(r"(FLASK_[A-Za-z0-9_]+)=(\"[^\"]*\"|'[^']*'|[^,\s]*)")


def analyze_supervisor(text: str, relpath: str) -> tuple[list[FileHit], list[Diagnostic]]:
    keep: list[tuple[int, int]] = []
    hits: list[FileHit] = []
    offset = 0
    in_program = False
    for number, line in enumerate(text.split("\n"), 1):
        section = line.strip()
        if section.startswith("[") and section.endswith("]"):
            in_program = section[1:-1].strip().startswith(("program:", "fcgi-program:"))
        match = _SUPERVISOR_KEY_RE.match(line) if in_program else None
        if match and match.group(1) == "command":
            keep.append((offset + match.start(2), offset + match.end(2)))
        elif match:
            for pair in _PAIR_RE.finditer(match.group(2)):
                hits += run_text_rules("environment", EnvironmentVariable(
                    pair.group(1), pair.group(2).strip("\"'"), number, match.start(2) + pair.start(1) + 1))
        offset += len(line) + 1
    commands, _ = analyze_shell_script(_blank(text, keep), posixpath.basename(relpath))
    return hits + commands, []
