#!/usr/bin/env python3
"""Site recall of migrate-audit on held-out Flask -> FastAPI migrations that other teams made (issue 18).

    .venv/bin/python bench/heldout.py                # unpack, scan, print, write bench/heldout/results.md
    .venv/bin/python bench/heldout.py --no-write     # print only
    .venv/bin/python bench/heldout.py --apps enterr

The set (bench/heldout/README.md) is kept apart from everything the rules were tuned on: neither
the corpus, nor the recall set, nor the calibration migrations.  Each entry is a real public
repository whose history holds a commit that moved its Flask app to FastAPI.  The tree *before*
that commit is the input; the labels (bench/heldout/<name>.csv, file,line,category,scope,note) are
the lines of that tree that the migration removed or changed because they use Flask, read by hand
under the rules of bench/recall/README.md before any report on the tree was looked at.

Trees come from the git mirrors that the search tool's `fetch` leaves under /work/.mirror
(`<owner>+<name>/repo`, or --mirror / $MIGRATE_AUDIT_MIRROR), exported with `git archive` into the
ignored bench/.heldout/<name>/ (members unpacked one by one by bench/recall_corpus.py, links and
`..` skipped) and checked against a pinned digest.  With no mirror the script says which `fetch`
brings it.  The code is never imported or run.

Matching is bench/recall.py's, imported, not copied: a site is found when a finding in the same
file has a line range [line, end_line] that covers it.  Recall is reported for app code and test
code apart.  This set must stay untuned: a miss is reported, never fixed against these labels.
Exit 0 when the scans ran (whatever the figures), 2 on a failed unpack or scan.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
LABELS = BENCH / "heldout"
DEST = BENCH / ".heldout"
# Everything in results.md below this line is written by a person and kept when the script runs.
BY_HAND = "<!-- written by hand below this line; bench/heldout.py keeps it -->"


def _load(name: str, file: str):
    if name in sys.modules:  # already loaded (a test module may load bench/recall.py under this name)
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCH / file)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


recall = _load("bench_recall", "recall.py")
corpus = _load("recall_corpus", "recall_corpus.py")
Site, Finding, found_sites, ratio = recall.Site, recall.Finding, recall.found_sites, recall.ratio


@dataclass(frozen=True)
class Migration:
    tree: "corpus.App"  # the before tree: name, repo, commit (the migration's parent), digest
    after: str  # the migration commit
    where: str  # the pull request or commit page
    paths: tuple[str, ...] = ()  # the parts of the tree to export (default: all of it)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(corpus.App("enterr", "JonBunator/Enterr",
                         "6178851884d1d01fee457f35d92acfa92c450e7e",
                         "801006aff8b96e52690da33362739d9219ddb998bcb6a3dc9d0902b53e83879f",
                         "Flask + Flask-Login + Flask-SQLAlchemy + Flask-Migrate + Flask-SocketIO; pytest"),
              "7bfb816bb79b52d75eab9569f40fff2e94990cd5",
              "https://github.com/JonBunator/Enterr/pull/231"),
    Migration(corpus.App("qa-pilot", "reid41/QA-Pilot",
                         "dd0b75c43cfd8815b26a3fbb55eac4b7b2b8e826",
                         "8ca152e5952e7405fff9306eb64e14ce96d221995f37e6a5e4973220d4871f19",
                         "one-module Flask JSON API with Flask-CORS, served by waitress; no tests"),
              "777c391a9ab4fb38bda6a7c7e9f9571e558e5bc4",
              "https://github.com/reid41/QA-Pilot/pull/45"),
    Migration(corpus.App("antarest", "AntaresSimulatorTeam/AntaREST",
                         "1389d07aba7ae111a15dae0efe402c7b2d995057",
                         "0d988dd82e58e8c6f6cb280212be8d13698caa88d390006f272d37728a221fd9",
                         "blueprints + Flask-JWT-Extended + a Swagger helper; pytest with the Flask test client"),
              "e7ef86a61fc4591e80352977d18a2f1d33e64972",
              "https://github.com/AntaresSimulatorTeam/AntaREST/pull/347",
              # examples/ holds a file of 4 MiB+ that the snapshot lacks; the Python lives here
              ("antarest", "tests", "conf", "setup.py")),
    Migration(corpus.App("dtbase", "alan-turing-institute/DTBase",
                         "38cbdc64e0898f27ff4ac48cd0be490446e852ff",
                         "6e59a80e0e81987543f4abb4752692292f805ad9fab367dfe9168d3701ca69e2",
                         "Flask JSON backend (Flask-JWT-Extended, Flask-SQLAlchemy) beside a Flask frontend that "
                         "stays Flask; pytest with the Flask test client"),
              "ae28d483ddb307d8d85a16f218e86da7676d4292",
              "https://github.com/alan-turing-institute/DTBase/pull/207"),
    # the fifth set (issue 18's re-measure after the DTBase test-client fix): labelled and committed
    # before any scan of these trees
    Migration(corpus.App("frigate", "blakeblackshear/frigate",
                         "dc54981784ad43d2393fe28cd258c04628f332f2",
                         "d81a2982beaeb42a71402c36a712d690f15f782b83679fc52edbfa2876d2ea1a",
                         "Flask app factory + 7 Blueprints, current_app attributes, Flask-Limiter, ProxyFix; "
                         "unittest with the Flask test client of the factory's app"),
              "cffc431bf0a874d512ab0c01731a618cbcd1f099",
              "https://github.com/blakeblackshear/frigate/pull/13871",
              # docs/ holds a file the snapshot lacks; the Python lives here
              ("frigate", "migrations", "docker", "pyproject.toml", "benchmark.py", "benchmark_motion.py",
               "process_clip.py")),
    Migration(corpus.App("pesu-auth", "pesu-dev/auth",
                         "e8c0a70f68a358011ebdb7fc4f1937805b6c0903",
                         "deac807233a2ed2cec328886716c013b18d16f50afcf5535ea2ee0c517ff9a17",
                         "one-module Flask + Flasgger JSON API; pytest with a test-client fixture"),
              "8568fb6f67d0cd7088be567e4a739d9fa7ac419f",
              "https://github.com/pesu-dev/auth/pull/53"),
    Migration(corpus.App("eodag", "CS-SI/eodag",
                         "c328060affc212afe4a9e66f80f04854d4ec774d",
                         "af4bf42c7af3c41bc37e840f82aa25701782ea4fc5074f6bd06f671b55ac653c",
                         "Flask + Flasgger STAC server in a library; unittest with the Flask test client"),
              "4c373fd081a54f93b1bcda3d669f19aaf1a05c7d",
              "https://github.com/CS-SI/eodag/pull/701",
              # the rest is notebooks and docs; every Python file of the migration diff is here
              ("eodag", "tests", "docker", "setup.py", "setup.cfg", "pyproject.toml", "docker-compose.yml")),
)


def unpack(m: Migration, dest: Path, mirror: Path) -> Path:
    """The before tree under dest/<name>, exported from the git mirror and checked against its digest.

    recall_corpus.fetch exports whole trees; a snapshot from `fetch` lacks files of 4 MiB and more,
    so a repository with such a file is exported by `paths` (`git archive COMMIT PATH...`)."""
    target = dest / m.tree.name
    marker = target / corpus.MARKER
    if marker.is_file() and json.loads(marker.read_text()).get("commit") == m.tree.commit:
        return target
    git_dir = mirror / m.tree.repo.replace("/", "+") / "repo"
    if not git_dir.is_dir():
        raise corpus.FetchError(f"{m.tree.name}: no git mirror at {git_dir}; bring it with the search "
                                f"tool's fetch (github:{m.tree.repo}) or pass --mirror")
    proc = subprocess.run(["git", f"--git-dir={git_dir}", "archive", "--format=tar", m.tree.commit, *m.paths],
                          capture_output=True, timeout=corpus.TIMEOUT)
    if proc.returncode or not proc.stdout:
        raise corpus.FetchError(f"{m.tree.name}: git archive {m.tree.commit[:10]} failed: "
                                f"{proc.stderr.decode(errors='replace').strip()[:200]}")
    return corpus.install(m.tree, proc.stdout, dest, strip_top=False)

def load_sites(name: str, labels: Path = LABELS) -> list[Site]:
    with open(labels / f"{name}.csv", newline="", encoding="utf-8") as fh:
        return [Site(r["file"], int(r["line"]), r["category"], r["scope"]) for r in csv.DictReader(fh)]


def load_notes(name: str, labels: Path = LABELS) -> dict[tuple[str, int], str]:
    with open(labels / f"{name}.csv", newline="", encoding="utf-8") as fh:
        return {(r["file"], int(r["line"])): r["note"] for r in csv.DictReader(fh)}


@dataclass
class Result:
    name: str
    root: Path
    sites: list[Site]
    found: set[Site]
    findings: list[Finding]
    notes: dict[tuple[str, int], str]

    @property
    def found_narrow(self) -> set[Site]:
        """The sites found by findings spanning at most recall.WIDE lines: recall not bought by wide ranges."""
        return found_sites(self.sites, [f for f in self.findings if f.end_line - f.line < recall.WIDE])


def measure(name: str, root: Path, labels: Path = LABELS) -> Result:
    sites = load_sites(name, labels)
    findings, _report = recall.scan(root)
    return Result(name, root, sites, found_sites(sites, findings), findings, load_notes(name, labels))


# --------------------------------------------------------------------------
# figures: pure, unit-tested in tests/test_bench_heldout.py


def recall_cell(results: list[Result], scope: str, keep=lambda s: True, narrow: bool = False) -> str:
    """Found over labelled sites of one scope, pooled over the trees (a Site is unique within its tree)."""
    chosen = [(r, s) for r in results for s in r.sites if s.scope == scope and keep(s)]
    found = {id(r): (r.found_narrow if narrow else r.found) for r in results}
    return ratio(sum(s in found[id(r)] for r, s in chosen), len(chosen))


RECALL_HEADER = ("sites", "app code", "test code", f"app, findings of <= {recall.WIDE} lines",
                 f"test, findings of <= {recall.WIDE} lines")


def recall_rows(results: list[Result]) -> list[tuple[str, ...]]:
    def row(label, rs, keep=lambda s: True):
        return (label, recall_cell(rs, "app", keep), recall_cell(rs, "test", keep),
                recall_cell(rs, "app", keep, narrow=True), recall_cell(rs, "test", keep, narrow=True))

    rows = [row("all sites", results),
            row("without `import`", results, lambda s: s.category != "import"),
            row("without `import` and `db`", results, lambda s: s.category not in ("import", "db"))]
    rows += [row(f"`{r.name}`", [r]) for r in results]
    for cat in sorted({s.category for r in results for s in r.sites}):
        rows.append(row(f"category `{cat}`", results, lambda s, c=cat: s.category == c))
    return rows


def misses_by_pattern(results: list[Result]) -> dict[tuple[str, str], list[tuple[str, Site]]]:
    """Missed sites grouped by (category, label note): the note names the Flask pattern."""
    groups: dict[tuple[str, str], list[tuple[str, Site]]] = defaultdict(list)
    for r in results:
        for s in sorted(r.sites, key=lambda s: (s.file, s.line)):
            if s not in r.found:
                groups[(s.category, r.notes.get((s.file, s.line), ""))].append((r.name, s))
    return dict(groups)


# --------------------------------------------------------------------------
# output


def misses_lines(results: list[Result]) -> list[str]:
    roots = {r.name: r.root for r in results}
    groups = misses_by_pattern(results)
    out = recall.table([(cat, note or "-", str(sum(s.scope == "app" for _, s in g)),
                         str(sum(s.scope == "test" for _, s in g)))
                        for (cat, note), g in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))],
                       ("category", "pattern (label note)", "app", "test"))
    for (cat, note), group in sorted(groups.items()):
        out += ["", f"### `{cat}`{': ' + note if note else ''} ({len(group)})", ""]
        out += [f"- {name} `{s.file}:{s.line}` ({s.scope}): `{recall.source_line(roots[name], s.file, s.line)}`"
                for name, s in group]
    return out


def population_lines(results: list[Result]) -> list[str]:
    rows = []
    for r in results:
        labelled: dict[str, set[int]] = defaultdict(set)
        for s in r.sites:
            labelled[s.file].add(s.line)
        in_files = [f for f in r.findings if f.file in labelled]
        on = sum(recall.on_labelled_line(f, labelled) for f in in_files)
        rows.append((r.name, str(len(r.sites)), str(sum(s.scope == "test" for s in r.sites)),
                     str(len(r.findings)), str(len(in_files)), ratio(on, len(in_files))))
    return recall.table(rows, ("tree", "sites", "of them test", "findings", "in labelled files",
                               "in labelled files, on a labelled line"))


def unlabelled_findings_lines(results: list[Result]) -> list[str]:
    """Findings in a labelled file on no labelled line: a false positive, or a Flask use the migration
    left alone (the labels hold only the lines the migration changed)."""
    out = []
    for r in results:
        labelled: dict[str, set[int]] = defaultdict(set)
        for s in r.sites:
            labelled[s.file].add(s.line)
        out += [f"- {r.name} `{f.file}:{f.line}` {f.code} (`{recall.source_line(r.root, f.file, f.line)}`; "
                f"{f.message})" for f in sorted(r.findings, key=lambda f: (f.file, f.line, f.code))
                if f.file in labelled and not recall.on_labelled_line(f, labelled)]
    return out or ["(none)"]


def results_md(results: list[Result], argv: list[str], kept: str) -> str:
    by_name = {m.tree.name: m for m in MIGRATIONS}
    trees = [f"- `{r.name}`: {by_name[r.name].tree.repo} @ {by_name[r.name].tree.commit[:10]} "
             f"(before {by_name[r.name].where}, migration commit {by_name[r.name].after[:10]})"
             for r in results if r.name in by_name]
    out = ["# Recall on held-out Flask -> FastAPI migrations", "",
           f"`{' '.join(['bench/heldout.py'] + argv)}` with migrate-audit at {recall.tool_commit()}. "
           "Labels and sources: bench/heldout/README.md. Written by the script down to the marker "
           "line; the reading below it is by hand.", ""] + trees
    out += ["", "## Recall", ""] + recall.table(recall_rows(results), RECALL_HEADER)
    out += ["", "## Findings", ""] + population_lines(results)
    out += ["", "## Missed sites, by Flask pattern", ""] + misses_lines(results)
    out += ["", "## Findings in labelled files on no labelled line", ""] + unlabelled_findings_lines(results)
    return "\n".join(out) + "\n\n" + BY_HAND + "\n" + kept


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--apps", default="", help="comma-separated subset (default: all)")
    parser.add_argument("--dest", type=Path, default=DEST, help="where the before trees are unpacked")
    parser.add_argument("--mirror", type=Path, default=None, help="git mirrors, <owner>+<name>/repo")
    parser.add_argument("--no-write", action="store_true", help="print only; write no file")
    argv = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(argv)
    chosen = [m for m in MIGRATIONS if not args.apps or m.tree.name in args.apps.split(",")]
    if not chosen:
        parser.error(f"--apps: none of {args.apps!r} is in {[m.tree.name for m in MIGRATIONS]}")
    args.dest.mkdir(parents=True, exist_ok=True)
    results = []
    for m in chosen:
        try:
            root = unpack(m, args.dest, args.mirror or corpus.default_mirror())
        except corpus.FetchError as exc:
            print(f"heldout: {exc}", file=sys.stderr)
            return 2
        results.append(measure(m.tree.name, root))
    print("\n".join(recall.table(recall_rows(results), RECALL_HEADER)))
    print()
    print("\n".join(population_lines(results)))
    print()
    print("\n".join(misses_lines(results)))
    if not args.no_write:
        path = LABELS / "results.md"
        old = path.read_text(encoding="utf-8") if path.is_file() else ""
        kept = old.split(BY_HAND + "\n", 1)[1] if BY_HAND + "\n" in old else ""
        path.write_text(results_md(results, argv, kept), encoding="utf-8")
        print(f"\nwrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
