"""The scan hook for non-Python files: runs after the Python analysis, because templates are found
through the `template_folder=` values the Python code declares and dead dependencies are judged
against the modules it imports. Requirements files named by `-r`/`-c` are read too, even when their
names would not be discovered, as long as they are inside the scanned folder.
"""
from __future__ import annotations

import hashlib
import os
import posixpath
from typing import Any, Callable, Iterable

from ..discovery import SourceFile
from ..model import Diagnostic, FileResult
from ..source import BinaryFile, decode_text
from . import DEPENDENCY_KINDS, TEMPLATE, TEMPLATE_CANDIDATE, ProjectFacts, analyze_file, python_side_kind
from .drafts import Draft
from .templates import in_template_folder

MAX_FILE_BYTES = 50 * 1024 * 1024
# Files that can name other files to read (`-r`, `-c`, `file:`): a sharded scan reads them all, reported or not.
_INCLUDING_KINDS = DEPENDENCY_KINDS | {"requirements", "constraints"}


def project_facts(python_results: Iterable[FileResult]) -> ProjectFacts:
    results = list(python_results)
    if not results:
        return ProjectFacts(None)
    modules: set[str] = set()
    parameters = {name for result in results for name in result.path_parameters}
    for result in results:
        for module in result.imports:
            modules.add(module.partition(".")[0])
            if module.startswith("flask.ext."):  # legacy spelling of `flask_<name>`
                modules.add("flask_" + module.split(".")[2])
    context = {name for result in results for name in result.template_context}
    return ProjectFacts(frozenset(modules), frozenset(parameters), frozenset(context))


def _read(path: str, relpath: str) -> tuple[str | None, list[Diagnostic]]:
    try:
        if os.stat(path).st_size > MAX_FILE_BYTES:
            return None, [Diagnostic(relpath, "too-large", "over the 50 MB limit; not audited")]
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        return None, [Diagnostic(relpath, "unreadable", f"cannot read: {exc.strerror or exc}")]
    try:
        decoded = decode_text(data)
    except BinaryFile as exc:
        return None, [Diagnostic(relpath, "binary", str(exc))]
    problems = [Diagnostic(relpath, "decode-error", decoded.problem)] if decoded.problem else []
    return decoded.text, problems


def _analyze(kind: str, path: str, relpath: str, facts: ProjectFacts) -> tuple[FileResult, list[tuple[int, str, str]]]:
    text, problems = _read(path, relpath)
    if text is None:
        return FileResult(path=relpath, kind=kind, diagnostics=problems), []
    try:
        analysis = analyze_file(kind, text, relpath, facts)
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the scan
        problems.append(Diagnostic(relpath, "internal-error", f"not audited: {type(exc).__name__}: {exc}"))
        return FileResult(path=relpath, kind=kind, diagnostics=problems), []
    analysis.result.diagnostics[:0] = problems
    return analysis.result, analysis.includes


def _analyze_task(task: tuple[str, str, str], facts: Any) -> Any:
    kind, path, relpath = task
    return _analyze(kind, path, relpath, facts)


def _facts_key(facts: ProjectFacts) -> str:
    """What the analyses of non-Python files depend on besides their own text, as one hash."""
    parts = (None if facts.imported_modules is None else sorted(facts.imported_modules),
             None if facts.path_parameters is None else sorted(facts.path_parameters), sorted(facts.context_names))
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


def _stamp(path: str, facts_key: str) -> tuple[int, int, str] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, facts_key


def audit_project_files(sources: list[SourceFile], python_results: list[FileResult], root: str,
                        given_paths: Iterable[str] = (), mapper: Any = None,
                        memo: dict[str, Any] | None = None,
                        owns: Callable[[str], bool] | None = None,
                        drafts: dict[str, Draft] | None = None) -> tuple[list[FileResult], list[Diagnostic]]:
    """FileResults for the non-Python files, and diagnostics for included files that could not be read.
    Findings of setup.py, gunicorn.conf.py and wsgi.py are added to their Python results in place.
    `mapper(func, items, *args)` may run the per-file analyses in worker processes, in order. `memo`
    (relpath -> (stamp, outcome), from the result cache) is read and updated: a file whose size, mtime
    and project facts are unchanged is not analysed again. `owns` (a sharded scan) says which paths to
    report: the facts still come from every Python result, and every dependency file is still read for
    the files it includes, so that each included file is found, and reported once, as in a full scan.
    `drafts` (relpath -> Draft, drafts.py): analyses of templates made before the facts were final, taken
    where they hold under the final facts."""
    facts = project_facts(python_results)
    declared = {folder for result in python_results for folder in result.template_folders}
    given = {os.path.relpath(os.path.abspath(p), root).replace(os.sep, "/") for p in given_paths if os.path.isfile(p)}
    by_path = {result.path: result for result in python_results}
    known = {source.relpath for source in sources}
    results: list[FileResult] = []
    diagnostics: list[Diagnostic] = []
    pending: list[tuple[str, str, int, str]] = []  # (including file, path as written, line, include kind)

    tasks: list[tuple[str, str, str]] = []  # (kind, path, relpath), in source order

    def wanted(kind: str, relpath: str) -> bool:
        return owns is None or owns(relpath) or kind in _INCLUDING_KINDS

    for source in sources:
        if source.kind == "python":
            side = python_side_kind(source.relpath)
            if side and source.relpath in by_path and wanted(side, source.relpath):
                tasks.append((side, source.path, source.relpath))
            continue
        kind = source.kind
        if not wanted(kind, source.relpath):
            continue
        if kind == TEMPLATE_CANDIDATE:
            if not (in_template_folder(source.relpath, declared) or source.relpath in given):
                continue  # an HTML or text file Flask would never render
            kind = TEMPLATE
        if kind == TEMPLATE and source.relpath not in given and not facts.may_render_flask_templates:
            continue  # the project's code never imports Flask: FastAPI's or Django's own templates
        tasks.append((kind, source.path, source.relpath))
    memo = memo if memo is not None else {}
    facts_key = _facts_key(facts)
    stamps = [_stamp(path, facts_key) for _, path, _ in tasks]
    fresh = [i for i, (task, stamp) in enumerate(zip(tasks, stamps))
             if stamp is None or memo.get(task[2], (None,))[0] != stamp]
    if drafts:
        drafted = {i for i in fresh if (draft := drafts.get(tasks[i][2])) is not None
                   and draft.holds(tasks[i][0], facts, stamps[i])}
        for i in drafted:
            memo[tasks[i][2]] = (stamps[i], drafts[tasks[i][2]].outcome)
        fresh = [i for i in fresh if i not in drafted]
    fresh_tasks = [tasks[i] for i in fresh]
    computed = mapper(_analyze_task, fresh_tasks, facts, costs=[(stamps[i] or (0,))[0] for i in fresh]) \
        if mapper is not None else [
        _analyze_task(task, facts) for task in fresh_tasks]
    for i, outcome in zip(fresh, computed):
        memo[tasks[i][2]] = (stamps[i], outcome)
    outcomes = [memo[task[2]][1] for task in tasks]  # read-only below: the cache keeps these objects
    for (kind, _, relpath), (result, includes) in zip(tasks, outcomes):
        reported = owns is None or owns(relpath)
        target = by_path.get(relpath)
        if target is not None and target.kind == "python":
            if reported:
                target.findings = sorted(target.findings + result.findings, key=lambda f: f.sort_key())
                target.diagnostics = target.diagnostics + [d for d in result.diagnostics if d not in target.diagnostics]
            continue
        if reported:
            results.append(result)
        pending += [(relpath, path, line, how) for line, how, path in includes]

    seen = set(known)
    while pending:
        including, written, line, how = pending.pop(0)
        if "://" in written:
            continue  # a URL: pip downloads it; nothing to read locally
        relpath = posixpath.normpath(posixpath.join(posixpath.dirname(including), written))
        if relpath in seen:
            continue
        seen.add(relpath)
        reported = owns is None or owns(relpath)
        if relpath.startswith("../"):
            if reported:
                diagnostics.append(Diagnostic(relpath, "outside-root", f"named on line {line} of {including}, "
                                              "outside the scanned folder; not read"))
            continue
        absolute = os.path.join(root, *relpath.split("/"))
        if not os.path.isfile(absolute):
            if reported:
                diagnostics.append(Diagnostic(relpath, "missing-include",
                                              f"named on line {line} of {including}, but it does not exist"))
            continue
        kind = "constraints" if how == "constraint" else "requirements"
        result, includes = _analyze(kind, absolute, relpath, facts)
        if reported:
            results.append(result)
        pending += [(relpath, path, inc_line, inc_how) for inc_line, inc_how, path in includes]
    return results, diagnostics
