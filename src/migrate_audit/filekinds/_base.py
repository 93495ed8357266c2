"""What every non-Python analyzer shares: hits with 1-based positions, their conversion to Findings
(suppression comments included), and the project facts some analyzers need."""
from __future__ import annotations

from dataclasses import dataclass, field

from .. import registry
from ..model import Diagnostic, FileResult, Finding
from ..suppressions import is_suppressed


@dataclass(frozen=True)
class FileHit:
    """A rule match in a non-Python file: 1-based line and column (characters), and message arguments."""

    code: str
    line: int
    column: int
    args: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    end_column: int = 0  # 0: one past the column


@dataclass(frozen=True)
class ProjectFacts:
    """What the Python analysis learned that other files are judged against.

    `imported_modules` holds the top-level modules the project's Python code imports; None means no
    Python file was analysed, so nothing can be called a dead dependency.
    """

    imported_modules: frozenset[str] | None = None
    # Path parameter names of the project's routes; None when unknown (every `url_for` kwarg is flagged).
    path_parameters: frozenset[str] | None = None
    # Flask template globals (`config`, `g`, ...) the project passes explicitly to render calls.
    context_names: frozenset[str] = frozenset()

    @property
    def may_render_flask_templates(self) -> bool:
        """Without Python files we cannot tell (a folder of templates alone is audited); with them, some
        module must import Flask (or Quart, whose templates are Flask's) for Flask to render anything."""
        return self.imported_modules is None or bool(self.imported_modules & {"flask", "quart"})


@dataclass
class Analysis:
    """One analyzer's output: findings for the file, and for requirements files the includes it names."""

    result: FileResult
    # (line, "requirement" or "constraint", path as written): the files a requirements file names
    includes: list[tuple[int, str, str]] = field(default_factory=list)


def findings_from_hits(hits: list[FileHit], text: str, relpath: str) -> list[Finding]:
    """Hits -> Findings with messages, counterparts and suppression (`# noqa: FMA701`,
    `{# noqa: FMA601 #}`, `migrate-audit: ignore[...]` on the finding's line)."""
    registry.load()
    lines = text.split("\n")
    seen: set[tuple[str, int, int]] = set()
    findings = []
    for hit in hits:
        key = (hit.code, hit.line, hit.column)
        if key in seen:
            continue
        seen.add(key)
        rule = registry.get_rule(hit.code)
        if rule is None:  # pragma: no cover - a typo in an analyzer, caught by the fixture tests
            raise KeyError(hit.code)
        source_line = lines[hit.line - 1] if 0 < hit.line <= len(lines) else ""
        findings.append(
            Finding(
                path=relpath,
                line=hit.line,
                column=hit.column,
                code=hit.code,
                end_line=hit.line,
                end_column=hit.end_column or hit.column + 1,
                message=rule.format_message(hit.args),
                counterpart=rule.format_counterpart(hit.args),
                suppressed=is_suppressed(hit.code, source_line),
                source_line=source_line.strip(),
            )
        )
    findings.sort(key=Finding.sort_key)
    return findings


def diagnostic(relpath: str, kind: str, message: str, line: int = 0) -> Diagnostic:
    return Diagnostic(relpath, kind, message, line)


def char_column(line_text: str, byte_offset: int) -> int:
    """Python's ast gives UTF-8 byte offsets; reports use 1-based character columns."""
    return len(line_text.encode("utf-8")[:byte_offset].decode("utf-8", "replace")) + 1
