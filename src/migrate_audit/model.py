"""The vocabulary every other module speaks: rules, findings, diagnostics, source files.

A `Rule` holds everything users read about one Flask idiom (title, message, counterpart, before/after,
links, category, effort, verdict). The registry, `migrate-audit rules`, `explain`, the docs, the flake8
messages and every report are derived from these objects; nothing else lists rules.
"""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable

CODE_RE = re.compile(r"^FMA\d{3}$")

# The story-point scale used by Konveyor/MTA and Azure AppCAT.
EFFORT_SCALE = (0, 1, 3, 5, 7, 13)


class Category(str, enum.Enum):
    MANDATORY = "mandatory"  # the app will not run on FastAPI as is
    OPTIONAL = "optional"  # works, but should change
    POTENTIAL = "potential"  # needs a human look
    INFORMATION = "information"

    def __str__(self) -> str:
        return self.value


class Verdict(str, enum.Enum):
    DIRECT = "direct"  # 1:1 counterpart
    PARTIAL = "partial"  # counterpart with semantic differences
    NONE = "none"  # nothing in FastAPI, Starlette or a maintained library does it: a migration blocker
    KEEP = "keep"  # framework-agnostic, keep as is
    UNKNOWN = "unknown"  # not enough information to say

    def __str__(self) -> str:
        return self.value


class Confidence(str, enum.Enum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Rule:
    """One Flask idiom, with everything a user needs to migrate it."""

    code: str
    name: str  # the pattern flagged, kebab-case: `flask-before-request-hook`
    title: str
    message: str  # one line, says *what*; may use {placeholders} filled by the matcher
    counterpart: str  # one line, says *how* in FastAPI
    category: Category
    effort: int
    verdict: Verdict
    rationale: str = ""  # why it matters for the migration
    before: str = ""  # Flask code
    after: str = ""  # FastAPI code
    links: tuple[str, ...] = ()
    # The extension (its distribution name in the catalogue) a feature rule belongs to, if any.
    extension: str = ""
    # Informational rules are off by default in the flake8 plugin (like bugbear's B9xx).
    default_enabled: bool = True

    def __post_init__(self) -> None:
        if not CODE_RE.match(self.code):
            raise ValueError(f"rule code {self.code!r} does not match FMA followed by three digits")
        if self.effort not in EFFORT_SCALE:
            raise ValueError(f"{self.code}: effort {self.effort} is not on the scale {EFFORT_SCALE}")

    @property
    def blocker(self) -> bool:
        return self.verdict is Verdict.NONE

    def format_message(self, args: dict[str, str] | None = None) -> str:
        return self.message.format_map(_Default(args or {}))

    def format_counterpart(self, args: dict[str, str] | None = None) -> str:
        return self.counterpart.format_map(_Default(args or {}))


class _Default(dict):  # type: ignore[type-arg]
    """format_map helper: a missing placeholder stays visible instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass(frozen=True, order=True)
class Finding:
    """One place where a rule matched. Positions are 1-based lines and columns (characters)."""

    path: str
    line: int
    column: int
    code: str
    end_line: int = 0
    end_column: int = 0
    message: str = ""
    counterpart: str = ""
    confidence: Confidence = Confidence.HIGH
    suppressed: bool = False
    source_line: str = ""  # the matched line's text, stripped; used for baselines and snippets

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.code)


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A file, or part of one, that was not audited in full, and why."""

    path: str
    kind: str  # syntax-error, decode-error, unreadable, binary, too-large, rule-error, ...
    message: str
    line: int = 0

    def __post_init__(self) -> None:
        # Messages quote exceptions and file names: keep them one line of valid, inert Unicode.
        from .source import printable_text

        object.__setattr__(self, "path", printable_text(self.path))
        object.__setattr__(self, "message", printable_text(self.message))


@dataclass(frozen=True)
class SourceFile:
    path: str  # absolute or as given, for reading
    relpath: str  # relative to the scan root, `/`-separated: what reports show
    kind: str


@dataclass(frozen=True)
class SyntaxCheck:
    """What Python's own parser says about a file: nothing, a syntax error, or syntax it is too old for."""

    kind: str = ""  # "", "syntax-error" or "newer-syntax"
    message: str = ""
    line: int = 0

    @property
    def confidence(self) -> Confidence:
        # A file only a newer Python parses is not broken: tree-sitter read it without error, but the
        # running Python could not confirm it.
        return {"": Confidence.HIGH, "newer-syntax": Confidence.MEDIUM}.get(self.kind, Confidence.LOW)


@dataclass
class FileResult:
    """What the engine learned about one file."""

    path: str
    kind: str
    lines: int = 0  # non-blank lines, the size measure used by the score
    findings: list[Finding] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    blueprints: list[str] = field(default_factory=list)
    imports: list[str] = field(default_factory=list)  # absolute module names this file imports
    # For the project index (not reported): names bound to Flask objects, and re-exported project names.
    exports: dict[str, str] = field(default_factory=dict)
    project_imports: dict[str, tuple[str, str]] = field(default_factory=dict)
    # What the analysis asked the project index, and its answers: the analysis stays valid as long as a
    # newer index gives the same answers (and the same project-uses-Flask answer, when it was asked).
    index_answers: dict[tuple[str, str], str | None] = field(default_factory=dict)
    assumed_project_flask: bool | None = None
    # `template_folder=` literals the file declares, relative to the scan root (see filekinds/templates.py)
    template_folders: list[str] = field(default_factory=list)
    path_parameters: list[str] = field(default_factory=list)  # `<int:book_id>` names in route strings
    template_context: list[str] = field(default_factory=list)  # `config=` etc. passed to render calls
    # False for an exports-only analysis (engine.analyze_python): no findings were looked for.
    complete: bool = True


Matcher = Callable[..., Iterable[object]]
