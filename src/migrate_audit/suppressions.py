"""Inline suppressions: flake8's `# noqa: CODES` and `# migrate-audit: ignore[CODES]`.

Both forms work in Python comments and, for templates, inside Jinja comments (`{# noqa: FMA601 #}`).

What the audit honours (`scan`, and everything built on it): a comment that names FMA codes
(`# noqa: FMA301`, `# noqa: FMA3` for a band) or the tool (`# migrate-audit: ignore`, with or without
codes). A bare `# noqa`, or one naming only other tools' codes (`# noqa: E712`), was written for
another check: it does not hide a migration finding; `would_hide_with_bare_noqa` tells the report how
many it would have hidden. The flake8 plugin leaves `# noqa` to flake8 itself (flake8's semantics:
there a bare `# noqa` hides everything, and `--disable-noqa` shows it again).
"""
from __future__ import annotations

import re

# flake8's own expression (flake8/defaults.py NOQA_INLINE_REGEX), so users see the same behaviour.
_NOQA_RE = re.compile(
    r"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+)?)+)?", re.IGNORECASE
)
_NOQA_CODES_RE = re.compile(r"[A-Z]+[0-9]+", re.IGNORECASE)
_IGNORE_RE = re.compile(r"migrate-audit:\s*ignore(?:\[(?P<codes>[^\]]*)\])?", re.IGNORECASE)

ALL = frozenset({"*"})


def suppressed_codes(line: str) -> frozenset[str]:
    """FMA codes (or code prefixes) suppressed on this line; `ALL` for `# migrate-audit: ignore`."""
    if "noqa" not in line.lower() and "migrate-audit" not in line.lower():
        return frozenset()
    codes: set[str] = set()
    match = _NOQA_RE.search(line)
    if match:
        spec = match.group(0).partition(":")[2]
        codes.update(code.upper() for code in _NOQA_CODES_RE.findall(spec) if code.upper().startswith("FMA"))
    ignore = _IGNORE_RE.search(line)
    if ignore:
        if ignore.group("codes") is None:
            return ALL
        codes.update(c.strip().upper() for c in ignore.group("codes").split(",") if c.strip())
    return frozenset(codes)


def is_suppressed(code: str, line: str) -> bool:
    codes = suppressed_codes(line)
    if codes is ALL:
        return True
    # flake8 semantics: `# noqa: FMA1` suppresses every code that starts with FMA1.
    return any(code.startswith(c) for c in codes)


def would_hide_with_bare_noqa(code: str, line: str) -> bool:
    """True when a bare `# noqa` on this line would have hidden `code` in flake8, but the audit reports it."""
    if "noqa" not in line.lower() or is_suppressed(code, line):
        return False
    match = _NOQA_RE.search(line)
    return match is not None and not match.group(0).partition(":")[2].strip()


def ignored_by_own_comment(code: str, line: str) -> bool:
    """True when `# migrate-audit: ignore[...]` on this line covers `code`.

    Only our own form: the flake8 plugin uses this, since flake8 applies `# noqa` itself and applying
    it twice would hide findings from `flake8 --disable-noqa`.
    """
    if "migrate-audit" not in line.lower():
        return False
    match = _IGNORE_RE.search(line)
    if match is None:
        return False
    if match.group("codes") is None:
        return True
    codes = [c.strip().upper() for c in match.group("codes").split(",") if c.strip()]
    return any(code.startswith(c) for c in codes)
