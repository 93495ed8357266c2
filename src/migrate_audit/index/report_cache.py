"""The last report of the same scan, reused when none of its inputs changed: a re-scan of an unchanged
tree (a CI gate on a push that touched no Python, a developer's second run) loads the report instead of
loading every file's cached analysis and building the report again. On the bench corpus a warm re-scan
went from 0.9-1.0 s to 0.3-0.4 s.

Its inputs, all checked:
- the invocation: the paths as given, the settings, the shard, the baseline's fingerprints and score,
  SOURCE_DATE_EPOCH, migrate-audit's own code and the Python running it (`invocation_key`);
- the files: the discovered set (which also covers files added, removed and renamed) with the discovery
  diagnostics, and the size, modification time and mode of every file the report came from, including
  files read only because a requirements file includes them, and of every included file that was
  missing (`stamps`): the very trust the result cache puts in a file it does not read again.

Anything else, or a cache file that cannot be read, means the scan runs as usual. The file sits beside
the result cache and is replaced atomically.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import time
from typing import Any

from .result_cache import cache_file, tool_fingerprint, write_pickles
from ..config import Settings
from ..discovery import Discovered
from ..model import Diagnostic
from ..scan import ScanResult
from ..shard import Shard

FORMAT = 1
Stamp = tuple[int, int, int] | None  # size, mtime_ns, mode; None: the file does not exist


def invocation_key(paths: list[str], settings: Settings, shard: Shard | None, baseline: Any | None) -> str:
    """Everything besides the files that the report depends on."""
    baseline_part = None
    if baseline is not None:
        baseline_part = (sorted(baseline.items()), getattr(baseline, "readiness", None))
    parts = ([os.path.abspath(p) for p in paths], paths, repr(settings), shard and (shard.index, shard.count),
             baseline_part, os.environ.get("SOURCE_DATE_EPOCH"), tool_fingerprint())
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _stamp(path: str) -> Stamp:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_mode


class ReportCache:
    """The saved report of one set of scanned paths, in the cache folder (a file per paths and tool)."""

    def __init__(self, folder: str, paths: list[str]) -> None:
        self.path = cache_file(folder, paths, ".report.pickle")  # beside the result cache of these paths
        self._started_ns = 0
        self._stamps: dict[str, Stamp] = {}

    def load(self, key: str, discovered: Discovered) -> dict[str, Any] | None:
        """The saved report when its key, its discovered files and every file's stamp are unchanged."""
        try:
            with open(self.path, "rb") as handle:
                # Two pickles: what the report depends on, then the report, read only when it is still valid.
                data = pickle.load(handle)  # noqa: S301 - our own file in the user's cache folder
                if not (isinstance(data, dict) and data.get("format") == FORMAT and data.get("key") == key
                        and data.get("discovered") == _comparable(discovered)):
                    return None
                if any(_stamp(path) != stamp for path, stamp in data["stamps"].items()):
                    return None
                report = pickle.load(handle)  # noqa: S301
            return report if isinstance(report, dict) else None
        except Exception:  # noqa: BLE001 - a missing, partial or corrupted file: scan as usual
            return None

    def begin(self, discovered: Discovered) -> None:
        """Stamp the discovered files before the scan reads them: a file changed while the scan runs then
        no longer matches its stamp, and the next scan does not reuse this one's report."""
        self._started_ns = time.time_ns()
        self._stamps = {source.path: _stamp(source.path) for source in discovered[0]}

    def save(self, key: str, discovered: Discovered, result: ScanResult, report: dict[str, Any]) -> None:
        """Keep `report` (of the scan `begin` stamped the files of) for the next identical scan; failing
        to write it never fails the scan."""
        stamps = dict(self._stamps)
        root = discovered[2]
        # Files read besides the discovered ones (included requirements), and included files that were
        # missing or unreadable: their appearance or change changes the report too. They are stamped
        # now; one that changed since the scan started may have been read before or after the change,
        # so then nothing is saved.
        for relpath in {file.path for file in result.files} | {d.path for d in result.diagnostics}:
            path = os.path.join(root, *relpath.split("/"))
            if path not in stamps and not relpath.startswith("../"):
                stamp = stamps[path] = _stamp(path)
                if stamp is not None and stamp[1] >= self._started_ns:
                    return
        data = {"format": FORMAT, "key": key, "discovered": _comparable(discovered), "stamps": stamps}
        write_pickles(self.path, data, report)  # the report second: read only when `data` says it is valid


def _comparable(discovered: Discovered) -> tuple[list[tuple[str, str, str]], list[Diagnostic], str]:
    sources, diagnostics, root = discovered
    return [(s.path, s.relpath, s.kind) for s in sources], list(diagnostics), root
