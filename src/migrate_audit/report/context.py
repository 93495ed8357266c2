"""What a renderer needs beyond the report dictionary: facts about this run, not about the code.

The report itself stays a pure function of the scanned files (build.py); the wall-clock date, the scan's
duration and the folder to read snippets from are passed here, so tests can fix them and golden files
stay byte-identical.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RenderContext:
    # Absolute folder the findings' paths are relative to (ScanResult.root): snippets are read from it and
    # SARIF names it as %SRCROOT%. None when the sources are not at hand (a report re-rendered elsewhere).
    source_root: str | None = None
    generated_at: str | None = None  # ISO 8601 UTC, e.g. 2026-01-31T12:00:00Z
    duration: float | None = None  # seconds the scan took
    # Where the commit's files are on the forge (".../owner/repo/blob/SHA/", repository.blob_url_base):
    # the pull-request comment links each new finding to its line. None: plain paths.
    blob_url: str | None = None
