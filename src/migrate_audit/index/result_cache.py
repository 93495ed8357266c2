"""The result cache: per-file summaries and analyses from the last scan of the same root.

An entry is reused when the file's size and modification time are unchanged (no read at all), or when
its content hash matches (touched but not changed). An analysis is reused only while the project index
still gives the answers it was made with (see `FileResult.index_answers`), so touching one file
re-analyses that file and the files whose name resolution depends on it, and nothing else.

Safety: the cache lives in the user's cache folder (`--cache-dir`, `MIGRATE_AUDIT_CACHE_DIR`, else
`$XDG_CACHE_HOME/migrate-audit` or `~/.cache/migrate-audit`), never inside the scanned tree; it is keyed
by the tool's own source code, so any change to the rules invalidates it; it is written atomically
(temporary file and rename), so concurrent runs never see a half-written file; and a cache that cannot
be read for any reason is ignored and rebuilt, never trusted.
"""
from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any, Iterable

from .. import __version__

FORMAT = 2


def default_cache_dir() -> str:
    """`$MIGRATE_AUDIT_CACHE_DIR`, else the platform's per-user cache folder (the scan's result cache and
    the flake8 plugin's project index both live there)."""
    configured = os.environ.get("MIGRATE_AUDIT_CACHE_DIR")
    if configured:
        return configured
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.expanduser(r"~\AppData\Local")
    elif sys.platform == "darwin":
        base = os.path.expanduser("~/Library/Caches")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return os.path.join(base, "migrate-audit")


@functools.lru_cache(maxsize=None)
def tool_fingerprint() -> str:
    """A hash of migrate-audit's own source and of the Python running it: a new rule, a changed matcher
    or another Python invalidates every entry."""
    # The Python running it too: which syntax it accepts decides the syntax-error diagnostics.
    digest = hashlib.sha256(f"{__version__}/{FORMAT}/{sys.implementation.cache_tag}/{sys.version}".encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:24]


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def cache_file(folder: str, roots: list[str], suffix: str) -> str:
    """The file in `folder` for a scan of `roots` by this very migrate-audit under this Python."""
    joined = "\0".join(sorted(os.path.abspath(r) for r in roots))
    key = hashlib.sha256(joined.encode("utf-8", "surrogateescape")).hexdigest()[:20]  # any file name
    return os.path.join(folder, f"{key}.{tool_fingerprint()}{suffix}")


class ResultCache:
    """Entries for one scan root: relpath -> (size, mtime_ns, content hash, summary)."""

    def __init__(self, folder: str, roots: list[str]) -> None:
        self.path = cache_file(folder, roots, ".pickle")
        self.entries: dict[str, tuple[int, int, str, Any]] = {}
        self.by_hash: dict[str, Any] = {}
        self.others: dict[str, Any] = {}  # non-Python files: relpath -> (stamp, outcome)

    def load(self) -> None:
        try:
            with open(self.path, "rb") as handle:
                data = pickle.load(handle)  # noqa: S301 - our own file in the user's cache folder
            if isinstance(data, dict) and data.get("format") == FORMAT:
                self.entries, self.others = data["entries"], data["others"]
        except Exception:  # noqa: BLE001 - a missing, partial or corrupted cache is simply rebuilt
            self.entries, self.others = {}, {}
        self.by_hash = {entry[2]: entry[3] for entry in self.entries.values()}

    def get(self, relpath: str, size: int, mtime_ns: int) -> Any | None:
        entry = self.entries.get(relpath)
        if entry is not None and entry[0] == size and entry[1] == mtime_ns:
            return entry[3]
        return None

    def get_by_hash(self, digest: str) -> Any | None:
        return self.by_hash.get(digest)

    def save(self, entries: dict[str, tuple[int, int, str, Any]], others: dict[str, Any] | None = None) -> None:
        """Replace the cache file; failing to write a cache never fails the scan."""
        write_pickles(self.path, {"format": FORMAT, "entries": entries, "others": others or {}})


def write_pickles(path: str, *objects: Any) -> bool:
    """Pickle `objects`, one after the other, into `path` (see `write_cache_file`)."""
    pickled = (pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL) for item in objects)
    return write_cache_file(path, pickled) is not None


def write_cache_file(path: str, chunks: Iterable[bytes]) -> os.stat_result | None:
    """Write `chunks` into `path` in the user's cache folder (created if need be), replaced atomically: a
    temporary file beside it, then a rename, so concurrent runs never read a half-written file. Returns the
    written file's status (its identity: the rename keeps it); None when it cannot be written: a cache is
    never required."""
    folder = os.path.dirname(path)
    try:
        os.makedirs(folder, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=".migrate-audit-cache-", dir=folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                for chunk in chunks:
                    handle.write(chunk)
                handle.flush()
                written = os.fstat(handle.fileno())
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError:
        return None
    return written


def prune_cache_files(path: str, keep: int) -> None:
    """Of the files beside `path` named like it (`<key>.<tool fingerprint><suffix>`, `cache_file`'s names)
    for other fingerprints, keep the `keep - 1` used last: each release, or Python, that runs here
    (an editor's, pre-commit's) has its own, and the older ones are dead weight."""
    folder, name = os.path.split(path)
    key, suffix = name.split(".", 1)[0] + ".", os.path.splitext(name)[1]
    try:
        others = [entry for entry in os.scandir(folder)
                  if entry.name.startswith(key) and entry.name.endswith(suffix) and entry.name != name]
        others.sort(key=lambda entry: entry.stat().st_mtime_ns, reverse=True)
        for entry in others[keep - 1:]:
            os.unlink(entry.path)
    except OSError:  # another process pruning too, or a read-only folder: never required
        pass
