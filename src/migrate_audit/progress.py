"""Progress of an audit for a display: the phase it is in (reading, analysing, ...), and how far along.

A progress callback is called `progress(done, total)` as files are read (the library's contract,
docs/library.md). One that also has a `phase(name)` method is a display of every phase: it is told when
each begins, and gets the counts of the phases that have them.
"""
from __future__ import annotations

from typing import Any, Optional

from .workers import ProgressCallback

READING, ANALYSING, PROJECT_FILES, REPORT = "reading", "analysing", "project files", "building the report"


def phase(progress: Any, name: str) -> Optional[ProgressCallback]:
    """Tell `progress` that phase `name` begins; the callback for that phase's counts, or None when
    `progress` is a plain callback (which counts the files read only)."""
    begin = getattr(progress, "phase", None)
    if begin is None:
        return None
    begin(name)
    return progress  # type: ignore[no-any-return]
