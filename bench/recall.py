#!/usr/bin/env python3
"""Site recall and sampled precision of migrate-audit on the hand-labelled recall set (issue 18).

    .venv/bin/python bench/recall.py                 # scan, print the table, write bench/recall/results.md
    .venv/bin/python bench/recall.py --sample 100 --seed 18

For each app of bench/recall_corpus.py (fetched into bench/.recall/ when missing) it runs
`migrate-audit scan APP --format json --no-cache` with this interpreter, then:

* recall: a labelled site (bench/recall/<app>.csv) is found when a finding in the same file has a
  line range [line, end_line] that covers the site's line.  Reported for app code and test code
  apart, per category, and with and without the `import` category;
* missed sites: every one, with its source line, in results.md;
* disagreements: every finding in a file the labels cover (Python outside migrations/versions/ and
  the start-up files, see IN_SCOPE) that covers no labelled line: a false positive or a missed label;
* precision: a seeded random sample of all findings pooled over the apps (templates and requirements
  files included).  A sampled finding whose range covers a labelled line counts as true; any other
  needs a person's judgement, read from bench/recall/judgements.csv (app,file,line,code,verdict,reason;
  verdict `true` or `false`).  bench/recall/precision-<app>.md lists each app's sampled findings with
  their source and verdict; to judge a new one, add its row to judgements.csv and run again.

The labels were written before any report was read; see bench/recall/README.md for the rules.
Exit 0 when the scans ran (whatever the figures), 2 on a failed fetch or scan.
"""

from __future__ import annotations

import argparse
import csv
import fnmatch
import importlib.util
import json
import random
import re
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
LABELS = BENCH / "recall"
HISTORY = LABELS / "history.md"  # before/after figures of earlier versions, written by hand
JUDGEMENTS = LABELS / "judgements.csv"

# The files the labels cover.  Findings elsewhere (templates, requirements, Alembic revisions) have
# no label to say whether they are right: only a person's judgement can.
IN_SCOPE = ("*.py", "*.sh", "Procfile", "Dockerfile", ".flaskenv", "*.conf", "*.yml")
OUT_OF_SCOPE = ("migrations/versions/*",)


# A finding whose range spans this many lines more than its first would find every site inside it;
# the findings table counts them so that recall bought by wide ranges shows.
WIDE = 5


@dataclass(frozen=True)
class Site:
    file: str
    line: int
    category: str
    scope: str  # "app" or "test"


@dataclass(frozen=True)
class Finding:
    file: str
    line: int
    end_line: int
    code: str
    message: str

    def covers(self, line: int) -> bool:
        return self.line <= line <= self.end_line


# --------------------------------------------------------------------------
# matching: pure, unit-tested in tests/test_bench_recall.py


def found_sites(sites: list[Site], findings: list[Finding]) -> set[Site]:
    """The sites that some finding in the same file covers."""
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_file[f.file].append(f)
    return {s for s in sites if any(f.covers(s.line) for f in by_file.get(s.file, ()))}


def on_labelled_line(finding: Finding, labelled: dict[str, set[int]]) -> bool:
    lines = labelled.get(finding.file, set())
    return any(finding.line <= n <= finding.end_line for n in lines)


def in_scope(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    if any(fnmatch.fnmatch(path, pat) for pat in OUT_OF_SCOPE):
        return False
    return any(fnmatch.fnmatch(name, pat) for pat in IN_SCOPE)


def ratio(hit: int, total: int) -> str:
    return f"{hit}/{total} = {hit / total:.2f}" if total else "-"


# --------------------------------------------------------------------------
# inputs


def load_corpus_module():
    spec = importlib.util.spec_from_file_location("recall_corpus", BENCH / "recall_corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def load_sites(app: str) -> list[Site]:
    with open(LABELS / f"{app}.csv", newline="", encoding="utf-8") as fh:
        return [Site(r["file"], int(r["line"]), r["category"], r["scope"]) for r in csv.DictReader(fh)]


def load_judgements() -> dict[tuple[str, str, int, str], tuple[str, str]]:
    if not JUDGEMENTS.is_file():
        return {}
    with open(JUDGEMENTS, newline="", encoding="utf-8") as fh:
        return {(r["app"], r["file"], int(r["line"]), r["code"]): (r["verdict"], r["reason"])
                for r in csv.DictReader(fh)}


def scan(root: Path) -> tuple[list[Finding], dict]:
    proc = subprocess.run([sys.executable, "-m", "migrate_audit", "scan", "--format", "json", "--no-cache",
                           str(root)], capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"recall: migrate-audit on {root} exited {proc.returncode}: "
                         f"{proc.stderr.strip().splitlines()[-1:]}")
    report = json.loads(proc.stdout)
    findings = [Finding(f["path"], f["line"], f.get("end_line") or f["line"], f["code"], f["message"])
                for f in report["findings"] if not f.get("suppressed")]
    return findings, report


def source_line(root: Path, file: str, line: int) -> str:
    try:
        lines = (root / file).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    return lines[line - 1].strip() if 0 < line <= len(lines) else ""


def context(root: Path, file: str, first: int, last: int, around: int = 2) -> str:
    try:
        lines = (root / file).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    lo, hi = max(1, first - around), min(len(lines), last + around)
    mark = lambda n: ">" if first <= n <= last else " "  # noqa: E731
    return "\n".join(f"{mark(n)}{n:5} {lines[n - 1]}" for n in range(lo, hi + 1))


# --------------------------------------------------------------------------
# the measurement


@dataclass
class AppResult:
    name: str
    root: Path
    sites: list[Site]
    found: set[Site]
    findings: list[Finding]
    report: dict


def measure(name: str, root: Path) -> AppResult:
    sites = load_sites(name)
    findings, report = scan(root)
    return AppResult(name, root, sites, found_sites(sites, findings), findings, report)


def recall_rows(results: list[AppResult]) -> list[tuple[str, str, str]]:
    """(label, app-code recall, test-code recall) rows: overall, without imports, per app, per category."""
    def cell(sites: list[Site], found: set[Site], scope: str) -> str:
        chosen = [s for s in sites if s.scope == scope]
        return ratio(sum(s in found for s in chosen), len(chosen))

    all_sites = [s for r in results for s in r.sites]
    # a Site is only unique within its app: keep (app, site) pairs for the pooled figures
    pooled = [(r.name, s) for r in results for s in r.sites]
    pooled_found = {(r.name, s) for r in results for s in r.found}

    def pooled_cell(pred, scope: str) -> str:
        chosen = [p for p in pooled if p[1].scope == scope and pred(p[1])]
        return ratio(sum(p in pooled_found for p in chosen), len(chosen))

    rows = [("all sites", pooled_cell(lambda s: True, "app"), pooled_cell(lambda s: True, "test")),
            ("without `import`", pooled_cell(lambda s: s.category != "import", "app"),
             pooled_cell(lambda s: s.category != "import", "test")),
            ("without `import` and `db`", pooled_cell(lambda s: s.category not in ("import", "db"), "app"),
             pooled_cell(lambda s: s.category not in ("import", "db"), "test"))]
    for r in results:
        rows.append((f"app `{r.name}`", cell(r.sites, r.found, "app"), cell(r.sites, r.found, "test")))
    for cat in sorted({s.category for s in all_sites}):
        rows.append((f"category `{cat}`", pooled_cell(lambda s, c=cat: s.category == c, "app"),
                     pooled_cell(lambda s, c=cat: s.category == c, "test")))
    return rows


@dataclass(frozen=True)
class Sampled:
    app: str
    finding: Finding
    labelled: bool


def draw_sample(results: list[AppResult], size: int, seed: int) -> list[Sampled]:
    pool = []
    for r in results:
        labelled: dict[str, set[int]] = defaultdict(set)
        for s in r.sites:
            labelled[s.file].add(s.line)
        pool += [Sampled(r.name, f, on_labelled_line(f, labelled)) for f in r.findings]
    pool.sort(key=lambda s: (s.app, s.finding.file, s.finding.line, s.finding.code, s.finding.message))
    chosen = random.Random(seed).sample(pool, min(size, len(pool)))
    return sorted(chosen, key=lambda s: (s.app, s.finding.file, s.finding.line, s.finding.code))


def verdict(s: Sampled, judgements: dict) -> tuple[str, str]:
    if s.labelled:
        return "true", "covers a labelled site"
    return judgements.get((s.app, s.finding.file, s.finding.line, s.finding.code), ("unjudged", ""))


# --------------------------------------------------------------------------
# output


def table(rows: list[tuple[str, ...]], header: tuple[str, ...]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out


def population_lines(results: list[AppResult]) -> list[str]:
    rows = []
    for r in results:
        labelled: dict[str, set[int]] = defaultdict(set)
        for s in r.sites:
            labelled[s.file].add(s.line)
        scoped = [f for f in r.findings if in_scope(f.file)]
        on = sum(on_labelled_line(f, labelled) for f in scoped)
        wide = sum(f.end_line - f.line >= WIDE for f in r.findings)
        rows.append((r.name, str(len(r.sites)), str(sum(s.scope == "test" for s in r.sites)),
                     str(len(r.findings)), str(wide), str(len(scoped)), ratio(on, len(scoped))))
    return table(rows, ("app", "sites", "of them test", "findings", f"spanning {WIDE + 1}+ lines",
                        "in labelled files", "in labelled files, on a labelled line"))


def precision_lines(sample: list[Sampled], judgements: dict) -> list[str]:
    verdicts = Counter(verdict(s, judgements)[0] for s in sample)
    labelled = sum(s.labelled for s in sample)
    judged = verdicts["true"] + verdicts["false"]
    lines = [f"Sample: {len(sample)} findings; {labelled} on a labelled line (true by the labels), "
             f"{len(sample) - labelled} need a judgement by hand: {verdicts['true'] - labelled} true, "
             f"{verdicts['false']} false, {verdicts['unjudged']} not judged yet.", ""]
    lines.append(f"**Precision on the judged sample: {ratio(verdicts['true'], judged)}**")
    wrong = [s for s in sample if verdict(s, judgements)[0] == "false"]
    if wrong:
        lines += ["", "False findings in the sample:", ""]
        lines += [f"- {s.app} `{s.finding.file}:{s.finding.line}` {s.finding.code}: "
                  f"{verdict(s, judgements)[1]}" for s in wrong]
    return lines


def write_precision_md(result: AppResult, sample: list[Sampled], judgements: dict, seed: int) -> None:
    mine = [s for s in sample if s.app == result.name]
    out = [f"# Precision sample: `{result.name}`", "",
           f"Written by `bench/recall.py` (seed {seed}); do not edit by hand.  A finding that covers a "
           "labelled line is true by the labels; every other one is judged by reading the code, and "
           "the judgement lives in `bench/recall/judgements.csv` (app,file,line,code,verdict,reason), "
           "which this file shows.", ""]
    for s in mine:
        f = s.finding
        v, why = verdict(s, judgements)
        out += [f"## `{f.file}:{f.line}` {f.code}: **{v}**", "", f"> {f.message}", ""]
        if why:
            out += [f"Judgement: {why}", ""]
        out += ["```", context(result.root, f.file, f.line, f.end_line), "```", ""]
    (LABELS / f"precision-{result.name}.md").write_text("\n".join(out), encoding="utf-8")


def disagreement_lines(results: list[AppResult], judgements: dict) -> list[str]:
    out = []
    for r in results:
        labelled: dict[str, set[int]] = defaultdict(set)
        for s in r.sites:
            labelled[s.file].add(s.line)
        for f in r.findings:
            if in_scope(f.file) and not on_labelled_line(f, labelled):
                v, why = verdict(Sampled(r.name, f, False), judgements)
                out.append(f"- {r.name} `{f.file}:{f.line}` {f.code} **{v}**{': ' + why if why else ''} "
                           f"(`{source_line(r.root, f.file, f.line)}`; {f.message})")
    return out or ["(none)"]


# What finding a missed site would take, guessed from its category and source text: a reading aid
# for the missed-site list, first match wins.  Not a measurement; the list itself is the evidence.
MISS_REASONS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("an `import` line inventory", ("import",), ""),
    ("each `db.session` use (reported once per module today)", ("db",), r"session"),
    ("`paginate()` / `get_debug_queries()` on a relationship or dynamic query", ("db",),
     r"paginate|get_debug_queries"),
    ("a Flask-WTF form instantiated through a project subclass", ("extension-use",), r"form = \w+Form\("),
    ("extension objects: creation, `init_app`, setup calls", ("db", "extension-use"),
     r"= \w+\((model_class=\w+)?\)$|init_app|Migrate\(|SSLify|upgrade\(\)|login_message|callback_loader"),
    ("a Flask-SQLAlchemy model reached through a re-export or subclass (`Model = db.Model`, "
     "`self.query`, `db.Model.__init__`)", ("db",), ""),
    ("extension APIs the catalogue lacks (flask-apispec, Flask-Bcrypt, PageDown fields)", ("extension-use",), ""),
    ("a Flask response held in a variable or returned by a helper", ("response", "errorhandler"), ""),
    ("the test client's response API (`get_data()`, `.json` property, `status_int`, base URL)",
     ("test-response",), ""),
    ("a test context pushed or popped through an attribute or fixture", ("test-context",), ""),
    ("WebTest and test-client request arguments", ("test-client",), ""),
    ("deployment files the tool does not read (shell scripts, CI, supervisor)", ("deployment",), ""),
    ("the app passed as a parameter or held in an attribute", ("app", "context", "config", "middleware"),
     r"^(?!.*rule\.)"),
)


def miss_reason(site: Site, source: str) -> str:
    for reason, categories, pattern in MISS_REASONS:
        if site.category in categories and re.search(pattern, source):
            return reason
    return "other (Werkzeug routing objects, the werkzeug logger, `app.run` in a thread, ...)"


def miss_reason_lines(results: list[AppResult]) -> list[str]:
    counts: Counter = Counter()
    for r in results:
        for s in r.sites:
            if s not in r.found:
                counts[(miss_reason(s, source_line(r.root, s.file, s.line)), s.scope)] += 1
    reasons = sorted({k[0] for k in counts}, key=lambda k: -(counts[(k, "app")] + counts[(k, "test")]))
    return table([(str(counts[(k, "app")]), str(counts[(k, "test")]), k) for k in reasons],
                 ("app code", "test code", "finding them needs"))


def missed_lines(results: list[AppResult]) -> list[str]:
    out = []
    for r in results:
        missed = sorted((s for s in r.sites if s not in r.found), key=lambda s: (s.scope, s.file, s.line))
        out += [f"### `{r.name}`: {len(missed)} missed", ""]
        out += [f"- `{s.file}:{s.line}` {s.category} ({s.scope}): `{source_line(r.root, s.file, s.line)}`"
                for s in missed]
        out.append("")
    return out


def tool_commit() -> str:
    """The commit of the migrate_audit this interpreter imports, `+dirty` when its tree has changes."""
    proc = subprocess.run([sys.executable, "-c", "import migrate_audit, os; "
                           "print(os.path.dirname(migrate_audit.__file__))"], capture_output=True, text=True)
    where = proc.stdout.strip() or "."
    head = subprocess.run(["git", "-C", where, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", where, "status", "--porcelain", "--", "."], capture_output=True,
                           text=True)
    if head.returncode:
        return "(not in a git tree)"
    return head.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def results_md(results: list[AppResult], rows, sample, judgements, args) -> str:
    tools = {r.report.get("tool", {}).get("version", "?") for r in results}
    out = ["# Recall and precision on the hand-labelled set", "",
           f"`{' '.join(['bench/recall.py'] + args)}` with migrate-audit {', '.join(sorted(tools))} "
           f"(src at {tool_commit()}). "
           "Labels: bench/recall/README.md.", "", "## Recall", ""]
    out += table(rows, ("sites", "app code", "test code"))
    if HISTORY.is_file():  # figures of earlier versions, measured by hand in the same way: kept as written
        out += ["", HISTORY.read_text(encoding="utf-8").strip()]
    out += ["", "## Findings", ""] + population_lines(results)
    out += ["", "## Findings in labelled files on no labelled line", "",
            "Each is a false positive or a site the labels missed; judged in judgements.csv.", ""]
    out += disagreement_lines(results, judgements)
    out += ["", "## Precision", ""] + precision_lines(sample, judgements)
    out += ["", "## Missed sites", "", "By what finding them would take (a guess from the category and "
            "the source line; `MISS_REASONS` in bench/recall.py):", ""] + miss_reason_lines(results)
    out += [""] + missed_lines(results)
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--apps", default="", help="comma-separated subset (default: all)")
    parser.add_argument("--sample", type=int, default=100, help="findings in the precision sample")
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--dest", type=Path, default=BENCH / ".recall", help="where the apps are unpacked")
    parser.add_argument("--mirror", type=Path, default=None, help="git mirrors, see recall_corpus.py")
    parser.add_argument("--no-write", action="store_true", help="print only; write no file")
    argv = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(argv)
    corpus = load_corpus_module()
    apps = [a for a in corpus.APPS if not args.apps or a.name in args.apps.split(",")]
    if not apps:
        parser.error(f"--apps: none of {args.apps!r} is in {[a.name for a in corpus.APPS]}")
    args.dest.mkdir(parents=True, exist_ok=True)
    results = []
    for app in apps:
        try:
            root = corpus.fetch(app, args.dest, args.mirror or corpus.default_mirror())
        except corpus.FetchError as exc:
            print(f"recall: {exc}", file=sys.stderr)
            return 2
        results.append(measure(app.name, root))
    rows = recall_rows(results)
    judgements = load_judgements()
    sample = draw_sample(results, args.sample, args.seed)
    print("\n".join(table(rows, ("sites", "app code", "test code"))))
    print()
    print("\n".join(population_lines(results)))
    print()
    print("\n".join(precision_lines(sample, judgements)))
    if not args.no_write:
        (LABELS / "results.md").write_text(results_md(results, rows, sample, judgements, argv),
                                           encoding="utf-8")
        for r in results:
            write_precision_md(r, sample, judgements, args.seed)
        print(f"\nwrote {LABELS / 'results.md'} and precision-<app>.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
