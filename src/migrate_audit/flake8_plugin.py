"""The flake8 plugin: the engine's findings as `FMA101 <what is Flask here> -> <FastAPI counterpart>`.

A thin front end over `engine.analyze_python`, with the rule metadata from the registry; nothing here
lists or matches rules. The linted file's text is always the `lines` flake8 passes (for `flake8 -` that is
the editor's unsaved buffer), never re-read from disk. Other project files are read only to build the
cross-module index (`index.plugin_store`).

Project facts: what only the whole project tells (rules/_project_facts.py: one adoption per extension, at
the place the scan reports it; Flask's cookie-session claims only where the project keeps that session) is
applied from the project store, so a file's findings are the scan's. (The Babel fact concerns templates,
which flake8 does not lint.)

Suppressions: flake8 applies `# noqa` itself (and `--disable-noqa` must be able to turn it off), so the
plugin emits findings regardless of `noqa` and drops only those under our own
`# migrate-audit: ignore[...]` comment.
"""
from __future__ import annotations

import ast
import json
import logging
import multiprocessing
import os
from functools import lru_cache
from typing import Any, Iterator, Sequence

from . import __version__, registry
from .index.result_cache import default_cache_dir, prune_cache_files, tool_fingerprint, write_cache_file
from .model import CODE_RE, Category, Finding
from .prefilter import may_hold_findings
from .index.plugin_store import MAX_STORES_PER_ROOT, ROOT_MARKERS, find_project_root, project_for
from .source import normalize_newlines
from .suppressions import ignored_by_own_comment

LOG = logging.getLogger(__name__)

# The counterpart is cut to about this many characters so that the whole message fits an editor
# tooltip; `migrate-audit explain CODE` has the full text.
COUNTERPART_LIMIT = 72
_STDIN_NAMES = frozenset({"-", "stdin"})


def default_off_codes() -> list[str]:
    """Codes flake8 leaves out unless selected: informational rules, and any rule marked off by default."""
    return [
        rule.code for rule in registry.all_rules()
        if rule.category is Category.INFORMATION or not rule.default_enabled
    ]


def codes_off_by_default() -> list[str]:
    """`default_off_codes()`, as this very release (`tool_fingerprint`) wrote them in the user's cache
    folder: listing them loads every rule module, the engine and the parser (13 ms), which a lint whose
    analyses are all stored needs for nothing else. An editor lints on every save."""
    path = os.path.join(default_cache_dir(), "flake8-index", f"default-off.{tool_fingerprint()}.json")
    try:
        with open(path, encoding="utf-8") as handle:
            codes = json.load(handle)
        if isinstance(codes, list) and all(isinstance(code, str) and CODE_RE.match(code) for code in codes):
            return codes
    except (OSError, ValueError):
        pass  # not written yet (or damaged): listed again below
    codes = default_off_codes()
    if write_cache_file(path, [json.dumps(codes).encode()]) is not None:
        prune_cache_files(path, MAX_STORES_PER_ROOT)  # one per release that lints here, as for the stores
    return codes


def _top_level(text: str) -> list[bool]:
    """For each character: True when it is outside every `code span` and (parentheses)."""
    in_code, depth = False, 0
    flags = []
    for char in text:
        if char == "`":
            in_code = not in_code
        elif not in_code and char == "(":
            depth += 1
        elif not in_code and char == ")":
            depth = max(0, depth - 1)
        flags.append(not in_code and depth == 0 and char not in "`()")
    return flags


@lru_cache(maxsize=1024)  # one text per rule and message arguments: the same few strings over and over
def short_counterpart(text: str, limit: int = COUNTERPART_LIMIT) -> str:
    """The counterpart's first clause, cut at a word boundary outside code spans when still too long."""
    text = " ".join(text.split())
    top = _top_level(text)
    semicolon = next((i for i in range(len(text)) if text[i] == ";" and top[i]), None)
    if semicolon is not None:
        text = text[:semicolon]
    if len(text) <= limit:
        return text
    # Cut at a space outside code spans (a span is never split), preferring a clause boundary:
    # ", " or " (" or " or ".
    in_code = [False] * len(text)
    inside = False
    for i, char in enumerate(text):
        inside = not inside if char == "`" else inside
        in_code[i] = inside
    spaces = [i for i in range(1, min(limit, len(text))) if text[i] == " " and not in_code[i]]
    clauses = [i for i in spaces if text[i - 1] == "," or text[i + 1:i + 2] == "(" or text[i + 1:i + 4] == "or "]
    cut = next((i for i in reversed(clauses) if i >= limit // 2), None) or (spaces[-1] if spaces else None)
    if cut is None:
        head = text[: limit - 3]
        return head + ("`" if head.count("`") % 2 else "") + "..."
    return text[:cut].rstrip(",") + "..."


def flake8_message(finding: Finding) -> str:
    return f"{finding.code} {finding.message} -> {short_counterpart(finding.counterpart)}"


def _absolute(filename: str) -> str:
    """Where the linted text lives: the file, or for stdin the name given with --stdin-display-name."""
    if filename in _STDIN_NAMES:
        # `flake8 -` without --stdin-display-name: all we know is the working folder.
        return os.path.join(os.getcwd(), "stdin.py")
    return os.path.abspath(filename)


def check(filename: str, lines: Sequence[str]) -> Iterator[tuple[int, int, str]]:
    """(line, 0-based column, message) for each finding in `lines`, the text flake8 read."""
    text = normalize_newlines("".join(lines))
    absolute = _absolute(filename)
    try:
        project = project_for(absolute)
    except Exception as exc:  # noqa: BLE001 - without an index the plugin still sees the file's imports
        LOG.warning("migrate-audit: project index failed: %s: %s", type(exc).__name__, exc)
        project = None
    relpath = os.path.basename(absolute)
    if project is not None:
        rel = os.path.relpath(absolute, project.root)
        if not rel.startswith(".."):
            relpath = rel.replace(os.sep, "/")
    if not may_hold_findings(text, relpath, project.index if project else None):
        return  # cannot contain a Flask finding: skip the parse (most of the plugin's cost)
    # Analysed while building the index (or after an edit), from this very text: the same analysis.
    stored = project.analysis_for(relpath, text) if project is not None else None
    result = stored
    if result is None:
        from .engine import analyze_python  # not needed when the analysis is stored: editors lint warm

        try:
            result = analyze_python(text, relpath, project.index if project else None, known_valid=True)
        except (RecursionError, MemoryError) as exc:
            LOG.warning("migrate-audit: %s not audited: %s", filename, type(exc).__name__)
            return
    # One adoption per extension in the project, the session and Babel claims checked against its setup:
    # the scan's report applies these facts, so the plugin applies them too.
    findings = project.with_project_facts(relpath, result, stored is not None) if project is not None \
        else result.findings
    for finding in findings:
        if ignored_by_own_comment(finding.code, finding.source_line):
            continue
        # Engine columns are 1-based characters; flake8 wants 0-based. The one place that converts.
        yield finding.line, finding.column - 1, flake8_message(finding)


def flake8_jobs(options: Any) -> int:
    """How many processes flake8 checks files in (as its `Manager._job_count` decides: `--jobs`, `auto`
    for the CPU count, 1 for stdin), for building a cold project index with as many; 1 inside a daemonic
    process (a multiprocessing worker), which may not start processes of its own."""
    filenames = getattr(options, "filenames", None) or ()
    jobs = getattr(options, "jobs", None)
    if jobs is None or any(name in _STDIN_NAMES for name in filenames):
        return 1
    if multiprocessing.current_process().daemon:
        return 1
    if getattr(jobs, "is_auto", False):
        return os.cpu_count() or 1
    return max(1, getattr(jobs, "n_jobs", 1))


class Plugin:
    """flake8 entry point `FMA`: a tree plugin (flake8 passes `tree`), reading `filename` and `lines`."""

    name = "migrate-audit"
    version = __version__

    def __init__(self, tree: ast.AST, filename: str, lines: Sequence[str]) -> None:
        # `tree` is what makes flake8 run this once per file; the engine parses `lines` with tree-sitter.
        self.filename = filename
        self.lines = lines

    @classmethod
    def add_options(cls, option_manager: Any) -> None:
        option_manager.extend_default_ignore(codes_off_by_default())

    @classmethod
    def parse_options(cls, options: Any) -> None:
        # flake8 parses options in its main process and forks the workers afterwards: building the
        # project index here once lets every worker inherit it (or read the disk cache written here)
        # instead of each building its own. flake8 waits for it before it starts its workers, so a cold
        # index is built with as many processes as flake8 will use.
        jobs = flake8_jobs(options)
        rootless: list[str] = []
        for path in dict.fromkeys(getattr(options, "filenames", None) or ()):
            start = os.getcwd() if path in _STDIN_NAMES else os.path.abspath(path)
            if find_project_root(start if os.path.isdir(start) else os.path.dirname(start)) is None:
                rootless.append(path)
            try:
                if os.path.isdir(start):
                    project_for(os.path.join(start, "__init__.py"), jobs)  # any name inside the folder
                elif os.path.exists(start):
                    project_for(start, jobs)
            except Exception as exc:  # noqa: BLE001 - the workers will try again, file by file
                LOG.warning("migrate-audit: project index failed: %s: %s", type(exc).__name__, exc)
        if rootless:
            # Said once, here in flake8's main process: otherwise the findings that need another module
            # (a `db` from extensions.py, a blueprint from its package) are silently missing.
            LOG.warning("migrate-audit: no project root (%s) at or above %s: names imported from other "
                        "modules are not resolved, so findings that depend on them are missing; add a "
                        "pyproject.toml at the project's root", ", ".join(ROOT_MARKERS), rootless[0])

    def run(self) -> Iterator[tuple[int, int, str, type[Plugin]]]:
        for line, col, message in check(self.filename, self.lines):
            yield line, col, message, type(self)
