#!/usr/bin/env python3
"""Fetch a corpus of real Flask applications and extensions from PyPI.

Benchmarks and precision measurements of migrate-audit should run on real
code that nobody on this project wrote.  This script downloads pinned,
released distributions from PyPI into a cache folder that git ignores and
unpacks each one into ``DEST/NAME-VERSION/``.

    python3 bench/corpus.py                  # everything in CORPUS
    python3 bench/corpus.py --subset small   # Flask-Admin, flaskbb, ihatemoney
    python3 bench/corpus.py --only ckan,lemur
    python3 bench/corpus.py --list           # print the pinned list
    python3 bench/corpus.py --dest /tmp/corpus

DEST is ``--dest``, else ``$MIGRATE_AUDIT_CORPUS``, else ``bench/.corpus/``
next to this file.

Safety: the downloaded code is never imported, built or executed.

* Wheels are fetched with ``python -m pip download --no-deps
  --no-build-isolation --only-binary :all: --require-hashes``; a wheel has
  no build step, so pip only copies the file.
* Sdists are NOT fetched with pip: ``pip download --no-binary :all:`` runs
  ``setup.py egg_info`` / the PEP 517 metadata hook of the sdist (checked:
  ``pip download --no-deps --no-binary :all: --no-build-isolation
  lemur==1.9.3`` runs its setup.py).  Their URL is looked up in PyPI's JSON
  index and the file is fetched with urllib.
* Every archive's sha256 is checked against the digest pinned below before
  it is opened.
* Archives are unpacked member by member by this script (never
  ``extractall``): absolute paths, ``..`` components, links of any kind and
  device files are skipped, as are members larger than 50 MB; files are
  written without execute bits.

Standard library only; Python 3.10+.  Exit status: 0 when every requested
distribution is unpacked, 2 when a download or unpack failed (one line per
failure on stderr, no traceback) or on a usage error.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import importlib.util
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

PYPI = "https://pypi.org"
TIMEOUT = 60  # seconds, per socket operation
MAX_MEMBER_BYTES = 50 * 1024 * 1024  # members larger than this are skipped
MAX_TOTAL_BYTES = 4 * 1024 * 1024 * 1024  # refuse archives unpacking beyond this
MAX_MEMBERS = 300_000
MARKER = ".corpus.json"  # written last-but-atomically: present == complete
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Dist:
    name: str  # distribution name as published on PyPI
    version: str
    kind: str  # "sdist" or "wheel": which file of the release is fetched
    filename: str
    sha256: str
    size: int  # bytes, as published; used for --list and progress lines
    role: str  # "app" or "extension"
    note: str = ""


# Pinned corpus.  Each entry is one exact file of one release; sdists are
# preferred (they carry requirements files, templates and tests), wheels are
# used where the release publishes no sdist.  Digests are PyPI's sha256.
CORPUS: tuple[Dist, ...] = (
    Dist("Flask-AppBuilder", "5.3.0", "sdist", "flask_appbuilder-5.3.0.tar.gz",
         "baf645c3c150471c6660049cdb61a1e79f318b63524531f890d42f406f5d5596",
         7085259, "extension"),
    Dist("Flask-Admin", "2.2.1", "sdist", "flask_admin-2.2.1.tar.gz",
         "08b4b6b63d2100598add70c1dc9a695f484e3c16c894c09ac70af26acb26a87d",
         5155446, "extension"),
    Dist("apache-superset", "6.1.0", "sdist", "apache_superset-6.1.0.tar.gz",
         "56976e5773864f906e30a689dec2641e554286e8be860ecc1e3d4ff5ff6b2e32",
         102438610, "app", "large download (~100 MB)"),
    Dist("mlflow", "3.18.0", "sdist", "mlflow-3.18.0.tar.gz",
         "04e912d5b154b417c5930ba47ef3dc2f74738fb3ba93e3d70499955ec8884540",
         11699010, "app", "large code base; Flask server is a small part"),
    Dist("ckan", "2.12.0", "sdist", "ckan-2.12.0.tar.gz",
         "108765eb4396dfc2506b0b9ce6d09c2f356c87e4116dcab3fa076bfd96f2b876",
         7131321, "app"),
    Dist("indico", "3.3.14", "wheel", "indico-3.3.14-py3-none-any.whl",
         "d98e030e0f21d22b9d9423d7cb3f9fca472ac5c2c4f3d8c5d7026ed3ed6c9811",
         38192838, "app", "no sdist published"),
    Dist("pgadmin4", "9.18", "wheel", "pgadmin4-9.18-py3-none-any.whl",
         "9ea084fc416265e4fc95c9fb6e6ae0f6668d34da8670c9b65c79cea054124356",
         126275839, "app", "no sdist published; large download (~120 MB)"),
    Dist("flaskbb", "2.2.0", "sdist", "flaskbb-2.2.0.tar.gz",
         "3a24ac17dabe6872ff6ccca4a6eb51fcf557974ffb90d7a24ceb730b311a608c",
         5801668, "app"),
    Dist("calibreweb", "0.6.27", "sdist", "calibreweb-0.6.27.tar.gz",
         "6978e6143aedddf59d6709a060d1320159c17b7c986bec1878a6bd75f252f629",
         7313353, "app"),
    Dist("lemur", "1.9.3", "sdist", "lemur-1.9.3.tar.gz",
         "a02df46a166338a0b5b00a8ce01fd9078b03f37cfc26523cec6d0c0d216d6183",
         471588, "app"),
    Dist("ihatemoney", "7.2.1", "sdist", "ihatemoney-7.2.1.tar.gz",
         "e74fc718f68e1ec400cf9c4364025a91febb86c9b523aeb33a52e5adbeaa77e1",
         1701664, "app"),
    Dist("flask-security-too", "5.9.2", "sdist", "flask_security_too-5.9.2.tar.gz",
         "614ed26d2d417d19e0831afb9ac242f2d93d35c157e64aad3d0091e309c507fb",
         790745, "extension"),
)

SUBSETS: dict[str, tuple[str, ...]] = {
    "small": ("Flask-Admin", "flaskbb", "ihatemoney"),
}


class CorpusError(Exception):
    """A failure reported as one line, without a traceback."""


# --------------------------------------------------------------------------
# selection


def normalize(name: str) -> str:
    """PEP 503 name normalization."""
    return re.sub(r"[-_.]+", "-", name).lower()


def select(only: str | None, subset: str | None) -> list[Dist]:
    by_name = {normalize(d.name): d for d in CORPUS}
    if subset:
        wanted = list(SUBSETS[subset])
    elif only:
        wanted = [n.strip() for n in only.split(",") if n.strip()]
        if not wanted:
            raise CorpusError("--only needs at least one distribution name")
    else:
        return list(CORPUS)
    unknown = [n for n in wanted if normalize(n) not in by_name]
    if unknown:
        known = ", ".join(d.name for d in CORPUS)
        raise CorpusError(f"not in the pinned list: {', '.join(unknown)} (known: {known})")
    seen: set[str] = set()
    picked = []
    for n in wanted:
        d = by_name[normalize(n)]
        if d.name not in seen:
            seen.add(d.name)
            picked.append(d)
    return picked


def default_dest() -> Path:
    env = os.environ.get("MIGRATE_AUDIT_CORPUS")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent / ".corpus"


# --------------------------------------------------------------------------
# download


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def describe(exc: BaseException) -> str:
    """One readable line for a network-ish exception."""
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code} {exc.reason} for {exc.url}"
    if isinstance(exc, urllib.error.URLError):
        return f"network error: {exc.reason}"
    if isinstance(exc, ValueError):
        return f"unreadable answer from PyPI: {exc}"
    text = str(exc) or type(exc).__name__
    return f"network error: {text}"


NETWORK_ERRORS = (urllib.error.URLError, http.client.HTTPException, OSError, ValueError)


def fetch_json(url: str, accept: str = "application/json") -> dict:
    req = urllib.request.Request(url, headers={"Accept": accept, "User-Agent": "migrate-audit-corpus/1"})
    with urllib.request.urlopen(req, timeout=TIMEOUT) as resp:
        return json.loads(resp.read().decode("utf-8"))


def find_url(dist: Dist) -> str:
    """Look the pinned file's URL up in PyPI's index (it is not derivable)."""
    quoted = urllib.parse.quote(normalize(dist.name))
    errors: list[str] = []
    # 1. PEP 691 simple index, JSON form.
    try:
        data = fetch_json(f"{PYPI}/simple/{quoted}/", "application/vnd.pypi.simple.v1+json")
        for f in data.get("files", []):
            if f.get("filename") == dist.filename:
                digest = f.get("hashes", {}).get("sha256")
                if digest and digest != dist.sha256:
                    raise CorpusError(f"{dist.filename}: index sha256 {digest} differs from the pinned one")
                return f["url"]
        errors.append("not in the simple index")
    except CorpusError:
        raise
    except NETWORK_ERRORS as exc:
        errors.append(describe(exc))
    # 2. JSON API: the release endpoint ("urls" are that release's files),
    #    then the project endpoint ("releases" maps versions to files).
    release_url = f"{PYPI}/pypi/{quoted}/{urllib.parse.quote(dist.version)}/json"
    project_url = f"{PYPI}/pypi/{quoted}/json"
    for url in (release_url, project_url):
        try:
            data = fetch_json(url)
        except NETWORK_ERRORS as exc:
            errors.append(describe(exc))
            continue
        if url == release_url:
            files = data.get("urls", [])
        else:
            files = data.get("releases", {}).get(dist.version, [])
        for f in files:
            if f.get("filename") == dist.filename:
                digest = f.get("digests", {}).get("sha256")
                if digest and digest != dist.sha256:
                    raise CorpusError(f"{dist.filename}: index sha256 {digest} differs from the pinned one")
                return f["url"]
        errors.append(f"{dist.filename} not listed at {url}")
    raise CorpusError(f"cannot find {dist.filename} on PyPI: {errors[0]}")


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(CHUNK), b""):
            h.update(block)
    return h.hexdigest()


def fetch_with_urllib(dist: Dist, target: Path) -> None:
    url = find_url(dist)
    if not url.startswith("https://"):
        raise CorpusError(f"{dist.filename}: refusing non-https URL {url}")
    part = target.with_name(target.name + ".part")
    h = hashlib.sha256()
    try:
        req = urllib.request.Request(url, headers={"User-Agent": "migrate-audit-corpus/1"})
        with urllib.request.urlopen(req, timeout=TIMEOUT) as resp, open(part, "wb") as out:
            for block in iter(lambda: resp.read(CHUNK), b""):
                h.update(block)
                out.write(block)
    except NETWORK_ERRORS as exc:
        part.unlink(missing_ok=True)
        raise CorpusError(f"downloading {dist.filename}: {describe(exc)}") from None
    if h.hexdigest() != dist.sha256:
        part.unlink(missing_ok=True)
        raise CorpusError(f"{dist.filename}: sha256 {h.hexdigest()} does not match the pinned {dist.sha256}")
    os.replace(part, target)


def fetch_with_pip(dist: Dist, target: Path) -> None:
    """Wheels only: pip copies a wheel without building anything."""
    assert dist.kind == "wheel"
    with tempfile.TemporaryDirectory(prefix="corpus-pip-", dir=target.parent) as tmp:
        req = Path(tmp) / "requirements.txt"
        req.write_text(f"{dist.name}=={dist.version} --hash=sha256:{dist.sha256}\n", encoding="utf-8")
        out_dir = Path(tmp) / "out"
        cmd = [
            sys.executable, "-m", "pip", "download",
            "--no-deps", "--no-build-isolation", "--only-binary", ":all:",
            "--require-hashes", "--ignore-requires-python",
            "--no-input", "--disable-pip-version-check", "--progress-bar", "off",
            "--timeout", str(TIMEOUT), "--retries", "2",
            "-r", str(req), "-d", str(out_dir),
        ]
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              stdin=subprocess.DEVNULL)
        if proc.returncode != 0:
            lines = [ln.strip() for ln in (proc.stderr + proc.stdout).splitlines() if ln.strip()]
            errs = [ln for ln in lines if ln.startswith("ERROR:")]
            reason = (errs or lines or [f"exit status {proc.returncode}"])[-1]
            broken = [ln for ln in lines if "connection broken by" in ln or "NewConnectionError" in ln]
            if broken:
                m = re.search(r"(\[Errno [^\]]+\][^'\")]*|Cannot connect to proxy|timed out)", broken[-1])
                reason = f"network error: {m.group(1).strip() if m else 'connection failed'} ({reason})"
            raise CorpusError(f"pip download {dist.name}=={dist.version} failed: {reason}")
        got = out_dir / dist.filename
        if not got.is_file():
            found = ", ".join(p.name for p in out_dir.iterdir()) if out_dir.is_dir() else "nothing"
            raise CorpusError(f"pip download {dist.name}=={dist.version} fetched {found}, not {dist.filename}")
        if sha256_of(got) != dist.sha256:
            raise CorpusError(f"{dist.filename}: sha256 does not match the pinned one")
        shutil.move(str(got), str(target))


def download(dist: Dist, archives: Path) -> Path:
    archives.mkdir(parents=True, exist_ok=True)
    target = archives / dist.filename
    if target.is_file():
        if sha256_of(target) == dist.sha256:
            return target
        target.unlink()
    log(f"fetching {dist.filename} ({dist.size / 1e6:.1f} MB) ...")
    if dist.kind == "wheel" and importlib.util.find_spec("pip") is not None:
        fetch_with_pip(dist, target)
    else:
        fetch_with_urllib(dist, target)
    return target


# --------------------------------------------------------------------------
# unpack


def safe_relpath(name: str) -> str | None:
    """The member name as a clean relative POSIX path, or None if unsafe."""
    if not name or "\x00" in name:
        return None
    name = name.replace("\\", "/")
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return None
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if not parts or any(p == ".." for p in parts):
        return None
    return "/".join(parts)


class Unpacker:
    def __init__(self, root: Path, strip_top: bool) -> None:
        self.root = root
        self.root_resolved = root.resolve()
        self.strip_top = strip_top
        self.total = 0
        self.skipped: dict[str, int] = {}

    def skip(self, why: str) -> None:
        self.skipped[why] = self.skipped.get(why, 0) + 1

    def plan(self, names: list[str]) -> str | None:
        """The single top-level folder to strip, if every member is inside one."""
        if not self.strip_top:
            return None
        tops = {n.split("/", 1)[0] for n in names}
        if len(tops) == 1 and all("/" in n for n in names):
            return tops.pop()
        return None

    def dest_for(self, rel: str, top: str | None) -> Path | None:
        if top is not None:
            rel = rel.split("/", 1)[1] if "/" in rel else ""
            if not rel:
                return None
        path = self.root.joinpath(*rel.split("/"))
        # Belt and braces: the parent, once created, must resolve inside root.
        parent = path.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError:  # e.g. a file member named like one of the folders
            self.skip("path clashes")
            return None
        if not parent.resolve().is_relative_to(self.root_resolved):
            self.skip("path escapes")
            return None
        if path.is_symlink() or path.exists():
            self.skip("duplicate member")
            return None
        return path

    def write(self, path: Path, src, size: int) -> None:
        self.total += size
        if self.total > MAX_TOTAL_BYTES:
            raise CorpusError(f"archive unpacks to more than {MAX_TOTAL_BYTES >> 30} GiB; refusing")
        written = 0
        with open(path, "wb") as out:
            for block in iter(lambda: src.read(CHUNK), b""):
                written += len(block)
                if written > MAX_MEMBER_BYTES:
                    break
                out.write(block)
        if written > MAX_MEMBER_BYTES:
            path.unlink()
            self.skip("larger than 50 MB")
            return
        os.chmod(path, 0o644)

    def tar(self, archive: Path) -> None:
        with tarfile.open(archive, "r:*") as tf:
            members: list[tuple[tarfile.TarInfo, str]] = []
            for i, m in enumerate(tf):
                if i >= MAX_MEMBERS:
                    raise CorpusError(f"{archive.name}: more than {MAX_MEMBERS} members; refusing")
                if m.isdir():
                    continue
                if not m.isreg():
                    self.skip("link or special file" if (m.issym() or m.islnk()) else "special file")
                    continue
                rel = safe_relpath(m.name)
                if rel is None:
                    self.skip("unsafe path")
                    continue
                if m.size > MAX_MEMBER_BYTES:
                    self.skip("larger than 50 MB")
                    continue
                members.append((m, rel))
            top = self.plan([rel for _, rel in members])
            for m, rel in members:
                path = self.dest_for(rel, top)
                if path is None:
                    continue
                src = tf.extractfile(m)
                if src is None:
                    self.skip("unreadable member")
                    continue
                with src:
                    self.write(path, src, m.size)

    def zip(self, archive: Path) -> None:
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_MEMBERS:
                raise CorpusError(f"{archive.name}: more than {MAX_MEMBERS} members; refusing")
            members: list[tuple[zipfile.ZipInfo, str]] = []
            for info in infos:
                if info.is_dir():
                    continue
                mode = info.external_attr >> 16
                if mode and not (stat.S_ISREG(mode) or stat.S_IFMT(mode) == 0):
                    self.skip("link or special file" if stat.S_ISLNK(mode) else "special file")
                    continue
                rel = safe_relpath(info.filename)
                if rel is None:
                    self.skip("unsafe path")
                    continue
                if info.file_size > MAX_MEMBER_BYTES:
                    self.skip("larger than 50 MB")
                    continue
                members.append((info, rel))
            top = self.plan([rel for _, rel in members])
            for info, rel in members:
                path = self.dest_for(rel, top)
                if path is None:
                    continue
                with zf.open(info) as src:
                    self.write(path, src, info.file_size)


def unpack(dist: Dist, archive: Path, final: Path) -> dict[str, int]:
    partial = final.with_name(f".partial-{final.name}")
    if partial.exists():
        shutil.rmtree(partial)
    partial.mkdir(parents=True)
    # sdists hold everything under NAME-VERSION/: strip that level so the
    # project's files sit directly in DEST/NAME-VERSION/.  Wheels have none.
    up = Unpacker(partial, strip_top=(dist.kind == "sdist"))
    try:
        if dist.filename.endswith((".whl", ".zip")):
            up.zip(archive)
        elif dist.filename.endswith((".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".tar")):
            up.tar(archive)
        else:
            raise CorpusError(f"{dist.filename}: unknown archive format")
    except (tarfile.TarError, zipfile.BadZipFile, EOFError, OSError) as exc:
        shutil.rmtree(partial, ignore_errors=True)
        raise CorpusError(f"unpacking {dist.filename}: {exc}") from None
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    marker = {
        "name": dist.name, "version": dist.version, "kind": dist.kind,
        "filename": dist.filename, "sha256": dist.sha256, "skipped": up.skipped,
    }
    (partial / MARKER).write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")
    if final.exists():  # an incomplete or foreign folder: replace it
        shutil.rmtree(final)
    os.replace(partial, final)
    return up.skipped


def is_complete(dist: Dist, final: Path) -> bool:
    try:
        marker = json.loads((final / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return marker.get("sha256") == dist.sha256


# --------------------------------------------------------------------------
# summary


def count_py(root: Path) -> tuple[int, int]:
    files = lines = 0
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for fn in filenames:
            if not fn.endswith(".py"):
                continue
            p = os.path.join(dirpath, fn)
            if os.path.islink(p):
                continue
            with open(p, "rb") as fh:
                data = fh.read()
            files += 1
            lines += data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
    return files, lines


def print_list() -> None:
    rows = [("name", "version", "kind", "role", "size", "file", "note")]
    for d in CORPUS:
        rows.append((d.name, d.version, d.kind, d.role, f"{d.size / 1e6:.1f}MB", d.filename, d.note))
    for name, members in SUBSETS.items():
        rows.append((f"[subset {name}]", "", "", "", "", ", ".join(members), ""))
    print_table(rows)


def print_table(rows: list[tuple[str, ...]], right: set[int] = frozenset()) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        cells = [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))]
        print("  ".join(cells).rstrip())


# --------------------------------------------------------------------------
# main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="Download and unpack the pinned corpus of real Flask code from PyPI "
                    "(never imports or runs it).")
    ap.add_argument("--dest", type=Path, default=None,
                    help="cache folder (default: $MIGRATE_AUDIT_CORPUS or bench/.corpus/)")
    pick = ap.add_mutually_exclusive_group()
    pick.add_argument("--only", metavar="NAME[,NAME]", help="fetch only these distributions")
    pick.add_argument("--subset", choices=sorted(SUBSETS), help="fetch a predefined subset")
    ap.add_argument("--list", action="store_true", help="print the pinned list and exit")
    ap.add_argument("--keep-archives", action="store_true",
                    help="keep the downloaded archives in DEST/_archives/ after unpacking")
    args = ap.parse_args(argv)

    if args.list:
        print_list()
        return 0

    try:
        dists = select(args.only, args.subset)
    except CorpusError as exc:
        log(f"corpus: error: {exc}")
        return 2

    dest = (args.dest or default_dest()).expanduser()
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        log(f"corpus: error: cannot create {dest}: {exc.strerror or exc}")
        return 2
    archives = dest / "_archives"

    results: list[tuple[Dist, Path | None]] = []
    failed = 0
    for dist in dists:
        final = dest / f"{dist.name}-{dist.version}"
        if is_complete(dist, final):
            results.append((dist, final))
            continue
        try:
            archive = download(dist, archives)
            skipped = unpack(dist, archive, final)
            if skipped:
                log(f"  {dist.name}: skipped " + ", ".join(f"{n} {why}" for why, n in sorted(skipped.items())))
            if not args.keep_archives:
                archive.unlink(missing_ok=True)
            results.append((dist, final))
        except CorpusError as exc:
            log(f"corpus: error: {dist.name} {dist.version}: {exc}")
            results.append((dist, None))
            failed += 1
        except OSError as exc:  # local disk trouble: still one line
            log(f"corpus: error: {dist.name} {dist.version}: {exc}")
            results.append((dist, None))
            failed += 1
    try:
        archives.rmdir()  # only if empty
    except OSError:
        pass

    rows = [("name", "version", "kind", "py_files", "py_lines", "path")]
    tot_files = tot_lines = 0
    for dist, path in results:
        if path is None:
            rows.append((dist.name, dist.version, dist.kind, "-", "-", "FAILED"))
            continue
        files, lines = count_py(path)
        tot_files += files
        tot_lines += lines
        rows.append((dist.name, dist.version, dist.kind, str(files), str(lines), str(path)))
    ok = len(results) - failed
    rows.append((f"total ({ok} of {len(results)})", "", "", str(tot_files), str(tot_lines), str(dest)))
    print_table(rows, right={3, 4})
    return 2 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        log("corpus: interrupted")
        sys.exit(130)
