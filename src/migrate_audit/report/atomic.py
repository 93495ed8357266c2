"""Atomic output: write to a temporary file beside the target, then rename, so an interrupted run never
leaves a half-written report."""
from __future__ import annotations

import os
import tempfile


def write_text_atomic(path: str, text: str | bytes) -> None:
    """Write `text`, or bytes as they are (a report rendered straight to UTF-8)."""
    folder = os.path.dirname(os.path.abspath(path))
    mode = _target_mode(path)
    fd, temporary = tempfile.mkstemp(prefix=".migrate-audit-", suffix=".tmp", dir=folder)
    try:
        if isinstance(text, bytes):
            with os.fdopen(fd, "wb") as binary:
                binary.write(text)
        else:
            # A file name that is not valid UTF-8 reaches the report as a lone surrogate (os.fsdecode);
            # strict UTF-8 would crash on it, so it is written as the escape `\udcff` (valid inside JSON).
            with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace", newline="\n") as handle:
                handle.write(text)
        # mkstemp makes the file private (0600); a report is for sharing (CI artifacts, a web server), so
        # give it the mode a plain open() would have: the old file's, or 0666 less the umask.
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def _target_mode(path: str) -> int:
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)  # the only portable way to read the umask; the CLI is single-threaded
        os.umask(umask)
        return 0o666 & ~umask
