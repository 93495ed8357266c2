"""Code snippets for reports, read at report time from the scanned files.

The JSON report does not carry source text (it would double its size and leak code into CI artifacts),
so the HTML report reads the few lines around each finding here, after the scan, from the same root the
finding paths are relative to. Each file is read once, decoded the way the scanner decoded it (PEP 263
cookie, BOM, newlines normalised), and only the lines some finding needs are kept.
"""
from __future__ import annotations

import os
from collections import defaultdict
from typing import Any, Iterable

from ..source import BinaryFile, decode_python

CONTEXT_LINES = 2  # lines shown above and below the matched lines
MAX_LINE_CHARS = 400  # a minified or generated line would swamp the page
MAX_FILE_BYTES = 5 * 1024 * 1024


def read_snippets(
    findings: Iterable[dict[str, Any]], root: str, context: int = CONTEXT_LINES
) -> dict[str, dict[int, str]]:
    """{path: {line number: text}} holding every line within `context` of a finding's line range.

    Files that cannot be read (gone, too large, binary, outside the root) are left out: the report then
    shows the finding without a snippet rather than failing.
    """
    wanted: dict[str, set[int]] = defaultdict(set)
    for f in findings:
        first = max(1, f["line"] - context)
        last = max(f["line"], f.get("end_line") or 0) + context
        wanted[f["path"]].update(range(first, last + 1))

    real_root = os.path.realpath(root)
    snippets: dict[str, dict[int, str]] = {}
    for path in sorted(wanted):
        lines = _read_lines(real_root, path)
        if lines is None:
            continue
        snippets[path] = {n: _clip(lines[n - 1]) for n in sorted(wanted[path]) if n <= len(lines)}
    return snippets


def _read_lines(real_root: str, path: str) -> list[str] | None:
    full = os.path.realpath(os.path.join(real_root, *path.split("/")))
    if os.path.commonpath([full, real_root]) != real_root:
        return None  # a path that climbs out of the scanned tree is not ours to read
    try:
        if os.path.getsize(full) > MAX_FILE_BYTES:
            return None
        with open(full, "rb") as handle:
            data = handle.read()
        text = decode_python(data).text
    except (OSError, BinaryFile, LookupError, UnicodeError):
        return None  # e.g. a `# coding: rot13` cookie names a codec that is not a text encoding
    # Split on "\n" only: str.splitlines() also breaks on \f, \x1c and U+2028, which Python's tokenizer
    # does not count as line ends, and line numbers would drift from the findings'.
    return text.split("\n")


def _clip(line: str) -> str:
    return line if len(line) <= MAX_LINE_CHARS else line[:MAX_LINE_CHARS] + "…"
