"""Sharded scans: `scan PATH --shard I/N` audits one deterministic part of the files.

A file belongs to shard `1 + hash(relative path) mod N`: stable (adding a file never moves another one to
a different shard), independent of the file list's order, and balanced like a hash. Python and non-Python
files are assigned the same way, and so are diagnostics about paths (an unreadable folder, a symlink).

Sharding never changes a finding. A file's findings depend on the whole project: the project index (which
names other modules bind to Flask objects) and the project facts (what the Python code imports, its route
parameters and template folders, that requirements and templates are judged against). So every shard
reads every file and computes the same index and facts as a full scan, analysing the files of other
shards in the engine's exports-only mode (name resolution without rules: about half the cost), and runs the
rules on its own files only. `migrate-audit merge` then recombines the shards' JSON reports into the
report of a single scan (report/merge.py).
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Iterable

from .config import ConfigError, Settings

MAX_SHARDS = 10_000
_SHARD_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based
    count: int

    def owns(self, relpath: str) -> bool:
        return shard_of(relpath, self.count) == self.index

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def shard_of(relpath: str, count: int) -> int:
    """The shard (1..count) a `/`-separated relative path belongs to. sha256, not `hash()`: the same on
    every machine and Python version, whatever PYTHONHASHSEED says."""
    digest = hashlib.sha256(relpath.encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def parse_shard(text: str) -> Shard:
    """`--shard I/N`, with 1 <= I <= N."""
    match = _SHARD_RE.match(text)
    if match:
        index, count = int(match.group(1)), int(match.group(2))
        if 1 <= index <= count <= MAX_SHARDS:
            return Shard(index, count)
    raise ConfigError(f"--shard {text}: use I/N with 1 <= I <= N <= {MAX_SHARDS}, e.g. --shard 2/4 for the "
                      "second of four shards")


def tree_digest(files: Iterable[tuple[str, str, str]]) -> str:
    """One hash of the scanned tree: each file's relative path, kind and (Python files) content hash.
    Shards of one project scanned from the same commit with the same options share it."""
    digest = hashlib.sha256()
    for relpath, kind, content in sorted(files):
        digest.update(f"{relpath}\0{kind}\0{content}\n".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:32]


def settings_digest(settings: Settings) -> str:
    """One hash of the settings that shape the findings (not the gate's): shards must agree on it."""
    shaping = (settings.select, settings.ignore, settings.exclude, settings.per_file_ignores,
               sorted(settings.effort.items()), sorted(settings.category.items()))
    return hashlib.sha256(repr(shaping).encode("utf-8", "surrogatepass")).hexdigest()[:32]
