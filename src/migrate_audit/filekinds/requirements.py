"""pip requirements files (`requirements*.txt`, `*.in`, `constraints*.txt`), read the way pip reads them.

pip's rules (pip/_internal/req/req_file.py): a `\\` at the end of a line joins the next one; `#` starts a
comment at the start of a line or after whitespace; lines starting with `-` are options (`-r`/`-c` name
other files, resolved relative to this one; `-e` names an editable project, `#egg=name` gives its name);
everything else is a PEP 508 requirement, optionally followed by per-requirement options such as
`--hash=sha256:...`. Only the project name matters here, so the version specifiers and environment
markers are checked for shape, not evaluated.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Diagnostic

# PEP 508 names: letters, digits, `.`, `_`, `-`, starting and ending with a letter or digit.
NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
_REQUIREMENT_RE = re.compile(rf"^(?P<name>{NAME})\s*(?:\[(?P<extras>[^\]]*)\])?\s*(?P<rest>.*)$", re.DOTALL)
_COMMENT_RE = re.compile(r"(^|\s+)#.*$")
_EGG_RE = re.compile(rf"[#&]egg=(?P<name>{NAME})")
_URL_START_RE = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|git\+|hg\+|svn\+|bzr\+|file:|\.{0,2}/)", re.IGNORECASE)
# Options whose value is another requirements file.
_INCLUDE_OPTIONS = {"-r": "requirement", "--requirement": "requirement", "-c": "constraint",
                    "--constraint": "constraint"}
_EDITABLE_OPTIONS = ("-e", "--editable")
_VERSION_START = ("==", "!=", "<=", ">=", "~=", "===", "<", ">", "(", ";", "@", ",")


@dataclass(frozen=True)
class Requirement:
    """One declared dependency: where it is, and in which group (None: the main dependencies)."""

    name: str
    line: int
    column: int
    group: str | None = None  # "dev", "extra:test", "constraint", ...
    text: str = ""  # the requirement as written, for messages

    @property
    def installs(self) -> bool:
        """A constraint pins a version but installs nothing."""
        return self.group != "constraint"


@dataclass
class RequirementsFile:
    requirements: list[Requirement]
    includes: list[tuple[int, str, str]]  # (line, "requirement" | "constraint", path as written)
    diagnostics: list[Diagnostic]


def _logical_lines(text: str) -> list[tuple[int, int, str, list[tuple[int, int, int]]]]:
    """(first line, column offset of the content, joined text, segment map) per logical line.

    The segment map lists (offset in joined text, line, column offset in that line) so a position in
    the joined text maps back to the physical line it came from.
    """
    result = []
    current = ""
    segments: list[tuple[int, int, int]] = []
    start_line = 0
    for number, raw in enumerate(text.split("\n"), 1):
        if not segments:
            start_line = number
        segments.append((len(current), number, 0))
        if raw.endswith("\\") and not _COMMENT_RE.match(raw):
            current += raw[:-1]
            continue
        current += raw
        result.append((start_line, 0, current, segments))
        current, segments = "", []
    if segments:
        result.append((start_line, 0, current, segments))
    return result


def _position(segments: list[tuple[int, int, int]], offset: int) -> tuple[int, int]:
    line, base_offset, col = segments[0][1], 0, 0
    for seg_offset, seg_line, seg_col in segments:
        if seg_offset <= offset:
            line, base_offset, col = seg_line, seg_offset, seg_col
    return line, offset - base_offset + col + 1


def parse_requirements(text: str, relpath: str, constraint: bool = False) -> RequirementsFile:
    parsed = RequirementsFile([], [], [])
    group = "constraint" if constraint else None
    for start_line, _, joined, segments in _logical_lines(text):
        content = _COMMENT_RE.sub("", joined)
        stripped = content.strip()
        if not stripped:
            continue
        lead = len(content) - len(content.lstrip())
        if stripped.startswith("-"):
            _option_line(stripped, start_line, segments, lead, relpath, parsed, group)
            continue
        _requirement_line(stripped, segments, lead, relpath, parsed, group)
    return parsed


def _option_line(stripped: str, line: int, segments: list[tuple[int, int, int]], lead: int, relpath: str,
                 parsed: RequirementsFile, group: str | None) -> None:
    option, _, value = _split_option(stripped)
    if option in _INCLUDE_OPTIONS:
        if not value:
            parsed.diagnostics.append(Diagnostic(relpath, "syntax-error", f"line {line}: `{option}` needs a file name", line))
        else:
            parsed.includes.append((line, _INCLUDE_OPTIONS[option], value))
        return
    if option in _EDITABLE_OPTIONS:
        egg = _EGG_RE.search(value)
        if egg:
            offset = stripped.index(egg.group("name"), stripped.index(value)) + lead
            at_line, column = _position(segments, offset)
            parsed.requirements.append(Requirement(egg.group("name"), at_line, column, group, value))
        return
    # Index, find-links, hash and build options say nothing about which projects are required.


def _split_option(stripped: str) -> tuple[str, str, str]:
    match = re.match(r"^(-[A-Za-z]|--[A-Za-z0-9-]+)(?:\s*=\s*|\s+|(?=\S))?(.*)$", stripped)
    if not match:
        return stripped, "", ""
    return match.group(1), "", match.group(2).strip()


def _requirement_line(stripped: str, segments: list[tuple[int, int, int]], lead: int, relpath: str,
                      parsed: RequirementsFile, group: str | None) -> None:
    at_line = _position(segments, lead)[0]
    if _URL_START_RE.match(stripped):
        egg = _EGG_RE.search(stripped)
        if egg:  # `git+https://...#egg=name`: the name is all that identifies the project
            line, column = _position(segments, lead + stripped.index(egg.group("name"), egg.start()))
            parsed.requirements.append(Requirement(egg.group("name"), line, column, group, stripped))
        return  # a plain URL or path: the project name is unknown without building it
    # Per-requirement options (`--hash=...`, `--config-settings`) follow the requirement.
    requirement = re.split(r"\s+--?[A-Za-z]", stripped, maxsplit=1)[0].strip()
    match = _REQUIREMENT_RE.match(requirement)
    problem = None
    if not match:
        problem = "does not start with a project name"
    else:
        rest = match.group("rest").strip()
        if rest and not rest.startswith(_VERSION_START):
            problem = f"unexpected `{_short(rest)}` after the project name"
        elif rest.startswith("=") and not rest.startswith(("==", "===")):
            problem = "`=` is not a version operator (use `==`)"
        elif match.group("extras") is not None and not re.fullmatch(
            rf"\s*(?:{NAME}\s*(?:,\s*{NAME}\s*)*)?", match.group("extras")
        ):
            problem = f"malformed extras `[{match.group('extras')}]`"
    if problem:
        parsed.diagnostics.append(
            Diagnostic(relpath, "syntax-error", f"line {at_line}: `{_short(stripped)}` is not a valid requirement: "
                       f"{problem}; pip would refuse this file", at_line)
        )
        return
    assert match is not None
    line, column = _position(segments, lead)
    parsed.requirements.append(Requirement(match.group("name"), line, column, group, requirement))


def _short(text: str, limit: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def requirement_name(spec: str) -> str | None:
    """The project name of a PEP 508 string (`Flask[async]>=2; python_version>'3.8'` -> `Flask`)."""
    match = _REQUIREMENT_RE.match(spec.strip())
    return match.group("name") if match else None
