"""Finding the files to audit: walk the given paths without following symlinks, skip what nobody wants
audited, classify each file by kind, and account for everything skipped that should have been read."""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Callable

from .model import Diagnostic, SourceFile
from .source import printable_path

# Folders users never want audited (flake8's and ruff's defaults plus virtualenvs and caches).
DEFAULT_EXCLUDED_DIRS = frozenset(
    {".git", ".hg", ".svn", ".bzr", ".tox", ".nox", ".venv", "venv", ".eggs", "node_modules",
     "site-packages", "__pycache__", "build", "dist", ".mypy_cache", ".pytest_cache", ".ruff_cache",
     ".cache", ".idea", ".vscode", "htmlcov"}
)


PYTHON_SUFFIXES = (".py", ".pyw")


# What `discover` returns: the files, the diagnostics of what could not be walked, the scan root.
Discovered = tuple[list[SourceFile], list[Diagnostic], str]


def classify(name: str) -> str | None:
    """The file kind that an analyzer exists for, or None. `name` is a file name or a `/`-separated
    path relative to the scan root (templates are recognised by their folder)."""
    if name.endswith(PYTHON_SUFFIXES):
        return "python"
    from .filekinds import kind_for_path  # dependencies, deployment files, Jinja templates

    return kind_for_path(name)


def scan_root(paths: list[str]) -> str:
    """The folder that relative paths in reports start from."""
    folders = [os.path.abspath(p if os.path.isdir(p) else os.path.dirname(p) or ".") for p in paths]
    return os.path.commonpath(folders) if folders else os.path.abspath(".")


def _relpath(path: str, root: str) -> str:
    """The path reports show: relative, `/`-separated, valid Unicode even for undecodable names."""
    return printable_path(os.path.relpath(path, root).replace(os.sep, "/"))


def _is_virtualenv(folder: str) -> bool:
    return os.path.isfile(os.path.join(folder, "pyvenv.cfg"))


def discover(
    paths: list[str],
    exclude: tuple[str, ...] = (),
    classifier: Callable[[str], str | None] = classify,
) -> Discovered:
    """Every auditable file under `paths`, sorted, with diagnostics for what could not be walked."""
    root = scan_root(paths)
    files: dict[str, SourceFile] = {}
    diagnostics: list[Diagnostic] = []

    from .config import path_matches  # here: the flake8 plugin imports this module, never `discover`

    def excluded(relpath: str) -> bool:
        return any(path_matches(relpath, pattern) for pattern in exclude)

    for given in paths:
        absolute = os.path.abspath(given)
        rel = _relpath(absolute, root)
        if os.path.islink(given) and not os.path.exists(given):
            diagnostics.append(Diagnostic(rel, "broken-symlink", "broken symlink: its target does not exist"))
            continue
        if os.path.isdir(absolute):
            _walk(absolute, root, files, diagnostics, excluded, classifier)
            continue
        kind = classifier(os.path.basename(absolute))
        if rel == ".":
            rel = printable_path(os.path.basename(absolute))
        if excluded(rel):
            continue
        try:
            mode = os.stat(absolute).st_mode
        except OSError as exc:
            diagnostics.append(Diagnostic(rel, "unreadable", f"cannot stat: {exc.strerror or exc}"))
            continue
        if not stat.S_ISREG(mode):
            diagnostics.append(Diagnostic(rel, "not-a-file", "not a regular file (FIFO, socket or device): not opened"))
            continue
        # A file named on the command line is audited even when its name is not a known kind, and even
        # through a symlink (the user chose it): read the target, since reads never follow symlinks.
        files[rel] = SourceFile(os.path.realpath(absolute), rel, kind or "python")
    return [files[k] for k in sorted(files)], sorted(set(diagnostics)), root


def _walk(
    top: str,
    root: str,
    files: dict[str, SourceFile],
    diagnostics: list[Diagnostic],
    excluded: Callable[[str], bool],
    classifier: Callable[[str], str | None],
) -> None:
    # Each folder with its path relative to root, so an entry's is one concatenation: os.path.relpath
    # per entry was a tenth of a warm re-scan.
    top_rel = os.path.relpath(top, root).replace(os.sep, "/")
    stack = [(top, "" if top_rel == "." else top_rel + "/")]
    while stack:  # iterative: deep trees cannot exhaust the recursion limit
        folder, prefix = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            diagnostics.append(
                Diagnostic(_relpath(folder, root) or ".", "unreadable", f"folder not readable: {exc.strerror or exc}")
            )
            continue
        for entry in entries:
            raw = prefix + entry.name
            rel = printable_path(raw)
            try:
                is_link = entry.is_symlink()
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError as exc:
                diagnostics.append(Diagnostic(rel, "unreadable", f"cannot stat: {exc.strerror or exc}"))
                continue
            if is_link:
                _symlink_diagnostic(entry, rel, diagnostics, classifier)
                continue
            if is_dir:
                if entry.name in DEFAULT_EXCLUDED_DIRS or entry.name.endswith(".egg-info"):
                    continue
                if excluded(rel) or _is_virtualenv(entry.path):
                    continue
                stack.append((entry.path, raw + "/"))
                continue
            kind = classifier(rel)
            if kind is None or excluded(rel):
                continue
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError as exc:
                diagnostics.append(Diagnostic(rel, "unreadable", f"cannot stat: {exc.strerror or exc}"))
                continue
            if not stat.S_ISREG(mode):
                diagnostics.append(Diagnostic(rel, "not-a-file", "not a regular file (FIFO, socket or device): not opened"))
                continue
            files[rel] = SourceFile(entry.path, rel, kind)


def _symlink_diagnostic(
    entry: os.DirEntry[str], rel: str, diagnostics: list[Diagnostic], classifier: Callable[[str], str | None]
) -> None:
    """Symlinks are never followed (no loops, nothing outside the tree); say so when it matters."""
    target = os.path.realpath(entry.path)
    if not os.path.exists(target):
        if classifier(entry.name) is not None:
            diagnostics.append(Diagnostic(rel, "broken-symlink", "broken symlink: its target does not exist"))
        return
    if os.path.isdir(target) or classifier(entry.name) is not None:
        diagnostics.append(
            Diagnostic(rel, "symlink", f"symlink to {printable_path(Path(target).name)} not followed; audit the target directly")
        )
