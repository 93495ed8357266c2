"""What every non-Python analyzer shares: the dispatch of facts to the text rules, hits with 1-based
positions, their conversion to Findings (suppression comments included), and the project facts some
analyzers need.

The analyzers read files into facts and hand each fact to the rules registered for its kind with
`registry.on_text(kind, *rules)`; the rules decide what is a finding. The kinds, and what a matcher of
each receives:

- `requirements`: `DeclaredRequirements` (dependencies.py), one per requirements file, pyproject.toml,
  setup.cfg, Pipfile or setup.py; matchers yield `FileHit`s.
- `command`: `Command` (commands.py), each simple command of a Dockerfile CMD/ENTRYPOINT/RUN, a Procfile
  line, a compose `command:`/`entrypoint:`, an App Engine `entrypoint:`, a shell start script or a
  Makefile recipe (scripts.py); matchers yield `CommandHit`s
  (offsets into the command text, which the analyzer maps to lines and columns).
- `environment`: `EnvironmentVariable` (deployment.py), each `FLASK_*` variable a .flaskenv/.env,
  a Dockerfile `ENV`, a compose environment, a shell script or a Makefile sets.
- `gunicorn`: `GunicornConfig` (deployment.py), a Gunicorn configuration file's module-level assignments.
- `uwsgi`: `UwsgiOption` (deployment.py), each option of a uWSGI ini file's `[uwsgi]` section.
- `appyaml`: `AppEngineRuntime` (deployment.py), an App Engine app.yaml's runtime when it has no entrypoint.
- `wsgi`: `WsgiModule` (deployment.py), the module-level assignments and imports of a WSGI entry module.
- `template`: `TemplateFacts` (templates.py), the names a Jinja template reads from its context.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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


TEXT_KINDS = ("requirements", "command", "environment", "gunicorn", "uwsgi", "appyaml", "wsgi", "template")


def run_text_rules(kind: str, fact: Any) -> list[Any]:
    """The hits of every text rule registered for `kind` on one fact, in registration order."""
    hits = []
    for rules, matcher in registry.text_matchers(kind):
        codes = {rule.code for rule in rules}
        for hit in matcher(fact):
            if hit.code not in codes:  # pragma: no cover - a rule bug, caught by the fixture tests
                raise ValueError(f"a {kind} matcher reported {hit.code}, which it did not register for")
            hits.append(hit)
    return hits


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
