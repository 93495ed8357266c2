"""bench/heldout.py, the scorer of the held-out Flask -> FastAPI migrations (issue 18).

No network, no mirror and no scan: the figures on hand-made results, the export of a before tree
from a tiny git repository made here, and the shape of the committed label files.
"""
from __future__ import annotations

import csv
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from _tools import load_module

BENCH = Path(__file__).resolve().parent.parent / "bench"
heldout = load_module(BENCH / "heldout.py", "bench_heldout")

Site, Finding = heldout.Site, heldout.Finding


def result(name, sites, findings, notes=None):
    return heldout.Result(name, Path("."), sites, heldout.found_sites(sites, findings), findings, notes or {})


def finding(file, line, end_line=None):
    return Finding(file, line, end_line or line, "FMA101", "m")


def test_recall_counts_app_and_test_sites_apart_and_pools_the_trees():
    a = result("a", [Site("v.py", 1, "route", "app"), Site("v.py", 2, "request", "app"),
                     Site("tests/t.py", 3, "test-client", "test")],
               [finding("v.py", 1), finding("tests/t.py", 3)])
    b = result("b", [Site("v.py", 1, "route", "app")], [])  # same file and line as in a, another tree
    assert heldout.recall_cell([a, b], "app") == "1/3 = 0.33"
    assert heldout.recall_cell([a, b], "test") == "1/1 = 1.00"
    assert heldout.recall_cell([b], "test") == "-"
    rows = {row[0]: row[1:3] for row in heldout.recall_rows([a, b])}
    assert rows["all sites"] == ("1/3 = 0.33", "1/1 = 1.00")
    assert rows["category `request`"] == ("0/1 = 0.00", "-")
    assert rows["`a`"] == ("1/2 = 0.50", "1/1 = 1.00")


def test_a_site_found_only_by_a_wide_finding_counts_in_the_wide_column_only():
    wide = heldout.recall.WIDE
    r = result("a", [Site("v.py", 3, "response", "app")], [finding("v.py", 1, 1 + wide)])
    assert heldout.recall_cell([r], "app") == "1/1 = 1.00"
    assert heldout.recall_cell([r], "app", narrow=True) == "0/1 = 0.00"
    r = result("a", [Site("v.py", 3, "response", "app")], [finding("v.py", 1, wide)])
    assert heldout.recall_cell([r], "app", narrow=True) == "1/1 = 1.00"


def test_misses_are_grouped_by_category_and_label_note():
    sites = [Site("v.py", 1, "app", "app"), Site("v.py", 5, "app", "app"), Site("w.py", 2, "app", "app"),
             Site("w.py", 9, "import", "app")]
    notes = {("v.py", 1): "app: Flask annotation", ("v.py", 5): "app: Flask annotation",
             ("w.py", 2): "Flask(__name__)"}
    r = result("a", sites, [finding("w.py", 2)], notes)
    groups = heldout.misses_by_pattern([r])
    assert groups == {("app", "app: Flask annotation"): [("a", sites[0]), ("a", sites[1])],
                      ("import", ""): [("a", sites[3])]}


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                          env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                               "GIT_COMMITTER_EMAIL": "t@t", "PATH": "/usr/bin:/bin"}).stdout.strip()


@pytest.fixture
def mirror(tmp_path: Path) -> tuple[Path, str]:
    """A bare mirror at <tmp>/mirror/owner+name/repo of a two-folder repository, and its commit."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    work = tmp_path / "work"
    (work / "app").mkdir(parents=True)
    (work / "app" / "views.py").write_text("from flask import Flask\napp = Flask(__name__)\n")
    (work / "examples").mkdir()
    (work / "examples" / "big.zip").write_bytes(b"not exported")
    _git(work, "init", "-q")
    _git(work, "add", ".")
    _git(work, "commit", "-qm", "before")
    commit = _git(work, "rev-parse", "HEAD")
    bare = tmp_path / "mirror" / "owner+name" / "repo"
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(bare)], check=True)
    return tmp_path / "mirror", commit


def _migration(commit: str, digest: str, paths=("app",)):
    return heldout.Migration(heldout.corpus.App("tiny", "owner/name", commit, digest), "0" * 40, "-", paths)


def test_a_before_tree_is_exported_by_path_and_checked_against_its_digest(tmp_path, mirror):
    mirror_dir, commit = mirror
    dest = tmp_path / "dest"
    dest.mkdir()
    with pytest.raises(heldout.corpus.FetchError, match="digest"):
        heldout.unpack(_migration(commit, "wrong"), dest, mirror_dir)
    assert not (dest / "tiny").exists()

    probe = tmp_path / "probe" / "app"
    probe.mkdir(parents=True)
    (probe / "views.py").write_text("from flask import Flask\napp = Flask(__name__)\n")
    digest = heldout.corpus.tree_digest(probe.parent)
    root = heldout.unpack(_migration(commit, digest), dest, mirror_dir)
    assert root == dest / "tiny"
    assert (root / "app" / "views.py").is_file()
    assert not (root / "examples").exists()
    # a second call keeps the unpacked tree (its marker names the commit)
    (root / "app" / "views.py").write_text("edited")
    assert heldout.unpack(_migration(commit, digest), dest, mirror_dir).joinpath("app/views.py").read_text() == "edited"


def test_a_missing_mirror_names_the_fetch_that_brings_it(tmp_path):
    with pytest.raises(heldout.corpus.FetchError, match="github:owner/name"):
        heldout.unpack(_migration("1" * 40, "x"), tmp_path, tmp_path / "no-mirror")


# --------------------------------------------------------------------------
# the committed labels

CATEGORIES = set(re.findall(r"^\| `([a-z-]+)` \|", (BENCH / "recall" / "README.md").read_text(), re.M))


@pytest.mark.parametrize("name", [m.tree.name for m in heldout.MIGRATIONS])
def test_label_files_use_the_recall_sets_categories_and_name_each_line_once(name):
    with open(BENCH / "heldout" / f"{name}.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows
    assert "route" in CATEGORIES and "test-response" in CATEGORIES
    for r in rows:
        assert r["category"] in CATEGORIES, r
        # test code lives under a test/ or tests/ folder (Frigate's is frigate/test/)
        assert r["scope"] == ("test" if {"test", "tests"} & set(r["file"].split("/")[:-1]) else "app"), r
        assert r["file"].endswith(".py") and int(r["line"]) > 0, r
    keys = [(r["file"], int(r["line"])) for r in rows]
    assert len(keys) == len(set(keys))
