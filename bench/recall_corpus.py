#!/usr/bin/env python3
"""Fetch the three Flask applications of the hand-labelled recall set.

The recall set (bench/recall/, issue 18) labels every line of three real
Flask applications that a Flask -> FastAPI migration has to change.  The
labels only mean something for the exact tree they were read on, so every
application is pinned to one commit and to a digest of its unpacked files.

    python3 bench/recall_corpus.py                 # all three, into bench/.recall/
    python3 bench/recall_corpus.py --list          # print the pins
    python3 bench/recall_corpus.py --mirror DIR    # git mirrors under DIR/<owner>+<name>/repo

Sources, tried in order for each application:

1. A local bare git mirror (``--mirror DIR``, else ``$MIGRATE_AUDIT_MIRROR``,
   else ``/work/.mirror``), laid out as ``DIR/<owner>+<name>/repo``; the
   pinned commit is exported with ``git archive``.
2. GitHub's archive of the pinned commit
   (``https://codeload.github.com/<owner>/<name>/tar.gz/<commit>``).

Either way the unpacked tree is checked against the pinned digest (sha256
over the sorted relative paths and file contents), so both sources give the
same files or the script fails.  The code is never imported or executed;
members are unpacked one by one and links, absolute paths and ``..`` are
skipped.  Standard library only.  Exit 0 when every application is in place,
2 on any failure (one line each on stderr).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_DEST = HERE / ".recall"
DEFAULT_MIRROR = Path("/work/.mirror")
TIMEOUT = 60
MARKER = ".recall.json"


@dataclass(frozen=True)
class App:
    name: str  # folder under DEST and the name of bench/recall/<name>.csv
    repo: str  # owner/name on GitHub
    commit: str
    digest: str  # tree_digest() of the unpacked files
    note: str = ""


APPS: tuple[App, ...] = (
    App("flasky", "miguelgrinberg/flasky",
        "3beedd640b9146b0bd65c8c2ecf402b01798bc33",
        "49e946ef53420c2c6075c8c6e3e2909950c616c8883523ab7e3a5f72542b52fe",
        "Flask Web Development, 2nd ed.; unittest tests with the Flask test client"),
    App("microblog", "miguelgrinberg/microblog",
        "a975ef64864354867c88e0ed3a17ba7d17dca752",
        "822e197c6077fc2e9699bda938722ab04adb8fb016fe9a632fc739a83b429827",
        "Flask Mega-Tutorial; model tests under an app context"),
    App("realworld", "gothinkster/flask-realworld-example-app",
        "4b95fb2227dfeb5dd1a45d89b2bf48630b93fd28",
        "9c8db83d92f738c5800183a2cbe890adf358824b6de9ed2ddfbb75d250621bb0",
        "RealWorld API; pytest fixtures and WebTest"),
)


def default_mirror() -> Path:
    return Path(os.environ.get("MIGRATE_AUDIT_MIRROR", DEFAULT_MIRROR))


class FetchError(Exception):
    """A failure reported as one line."""


def tree_digest(root: Path) -> str:
    """sha256 over every regular file's relative path and bytes, sorted."""
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.name != MARKER):
        rel = path.relative_to(root).as_posix()
        data = path.read_bytes()
        h.update(f"{rel}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()


def unpack(data: bytes, target: Path, strip_top: bool) -> None:
    """Unpack a tar archive member by member, skipping anything unsafe."""
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        for member in tar:
            if not member.isfile():
                continue  # directories are made on demand; links are skipped
            parts = [p for p in member.name.split("/") if p not in ("", ".")]
            if strip_top:
                parts = parts[1:]
            if not parts or ".." in parts or member.name.startswith("/"):
                continue
            dest = target.joinpath(*parts)
            dest.parent.mkdir(parents=True, exist_ok=True)
            src = tar.extractfile(member)
            if src is None:
                continue
            dest.write_bytes(src.read())
            os.chmod(dest, 0o644)


def from_mirror(app: App, mirror: Path) -> bytes | None:
    git_dir = mirror / app.repo.replace("/", "+") / "repo"
    if not git_dir.is_dir():
        return None
    try:
        return subprocess.run(
            ["git", f"--git-dir={git_dir}", "archive", "--format=tar", app.commit],
            check=True, capture_output=True, timeout=TIMEOUT,
        ).stdout
    except (subprocess.SubprocessError, OSError):
        return None  # the mirror lacks the commit: try the next source


def from_github(app: App) -> bytes:
    url = f"https://codeload.github.com/{app.repo}/tar.gz/{app.commit}"
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as resp:
            return resp.read()
    except OSError as exc:
        raise FetchError(f"{app.name}: no local mirror and {url} failed: {exc}") from None


def fetch(app: App, dest: Path, mirror: Path) -> Path:
    target = dest / app.name
    marker = target / MARKER
    if marker.is_file() and json.loads(marker.read_text()).get("commit") == app.commit:
        return target
    data = from_mirror(app, mirror)
    strip_top = data is None  # GitHub's tarball wraps the tree in one folder
    if data is None:
        data = from_github(app)
    return install(app, data, dest, strip_top)


def install(app: App, data: bytes, dest: Path, strip_top: bool) -> Path:
    """The tar `data` unpacked as dest/<name>, checked against the pinned digest and marked with its
    commit; the folder is replaced whole, so a failed unpack leaves the previous tree."""
    target = dest / app.name
    tmp = Path(tempfile.mkdtemp(prefix=f".{app.name}-", dir=dest))
    try:
        unpack(data, tmp, strip_top)
        digest = tree_digest(tmp)
        if digest != app.digest:
            raise FetchError(f"{app.name}: unpacked tree digest {digest} != pinned {app.digest}")
        (tmp / MARKER).write_text(json.dumps({"repo": app.repo, "commit": app.commit}) + "\n")
        if target.exists():
            shutil.rmtree(target)
        tmp.rename(target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dest", type=Path, default=DEFAULT_DEST)
    parser.add_argument("--mirror", type=Path, default=default_mirror())
    parser.add_argument("--list", action="store_true", help="print the pins and exit")
    args = parser.parse_args(argv)
    if args.list:
        for app in APPS:
            print(f"{app.name:10} {app.repo}@{app.commit[:12]}  {app.note}")
        return 0
    args.dest.mkdir(parents=True, exist_ok=True)
    failed = 0
    for app in APPS:
        try:
            print(f"{app.name}: {fetch(app, args.dest, args.mirror)}")
        except FetchError as exc:
            print(f"recall_corpus: {exc}", file=sys.stderr)
            failed += 1
    return 2 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
