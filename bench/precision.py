#!/usr/bin/env python3
"""Measure migrate-audit on real projects: what it reports, against what each project declares.

    python bench/precision.py [CORPUS_DIR] [--sample N] [--seed S] [--out FILE] [--only NAME,...]
    python bench/precision.py --tally REVIEWED_FILE

CORPUS_DIR defaults to ``$MIGRATE_AUDIT_CORPUS`` or ``bench/.corpus`` (filled by ``bench/corpus.py``).
For each unpacked project it runs ``migrate-audit scan DIR --format json`` and prints: files, lines,
findings, readiness, the top rules, the top APIs of the generic FMA900 fallback, and the extension set
reported next to the Flask-ecosystem distributions the project's own metadata requires (PKG-INFO /
METADATA ``Requires-Dist``, ``*.egg-info/requires.txt``, ``setup.cfg``, ``pyproject.toml``,
``requirements*.txt``; all read as text, ``setup.py`` is never run).

It then writes to ``--out`` a seeded random sample of up to N findings (default 3) of every rule that
fires anywhere in the corpus, drawn from all projects together (seeded per rule, so that a change to one
rule leaves the other rules' samples as they were), each with the surrounding source lines
and a ``verdict: ?`` line to fill in by hand (``verdict: TP``, or ``verdict: FP <why>``).
``--tally`` reads such a reviewed file back and prints, per rule and in total, the findings sampled,
judged true and false positives, and the precision.

The scanned code is never imported or executed, by this script or by migrate-audit.
"""
from __future__ import annotations

import argparse
import collections
import configparser
import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from migrate_audit.ecosystem import DISTRIBUTION_ALIASES, EXTENSIONS, normalize_distribution  # noqa: E402

# Distribution names (normalised) that stand for a catalogue entry, besides the entry's own name (forks
# and renames installing the same module: Flask-Reuploaded is Flask-Uploads).
_ALIASES = {alias: ext.distribution for alias, ext in DISTRIBUTION_ALIASES.items()}
_BY_KEY = {ext.name_key: ext.distribution for ext in EXTENSIONS}
_REQ_NAME_RE = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def requirement_name(line: str) -> str | None:
    line = line.split("#", 1)[0].strip()
    if not line or line.startswith(("-", "[")):
        return None
    match = _REQ_NAME_RE.match(line)
    return normalize_distribution(match.group(1)) if match else None


def declared_requirements(project: Path) -> set[str]:
    """Normalised distribution names from the project's packaging metadata (read statically)."""
    names: set[str] = set()
    for pkg_info in list(project.glob("PKG-INFO")) + list(project.glob("*.dist-info/METADATA")):
        for line in pkg_info.read_text(errors="replace").splitlines():
            if line.startswith("Requires-Dist:"):
                name = requirement_name(line.partition(":")[2])
                if name:
                    names.add(name)
    for requires in project.glob("*.egg-info/requires.txt"):
        for line in requires.read_text(errors="replace").splitlines():
            name = requirement_name(line)
            if name:
                names.add(name)
    setup_cfg = project / "setup.cfg"
    if setup_cfg.is_file():
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read_string(setup_cfg.read_text(errors="replace"))
            for key in ("install_requires",):
                for line in parser.get("options", key, fallback="").splitlines():
                    name = requirement_name(line)
                    if name:
                        names.add(name)
        except configparser.Error:
            pass
    pyproject = project / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(errors="replace"))
        except tomllib.TOMLDecodeError:
            data = {}
        project_table = data.get("project", {})
        lines = list(project_table.get("dependencies", []))
        for extra in project_table.get("optional-dependencies", {}).values():
            lines.extend(extra)
        for line in lines:
            name = requirement_name(line)
            if name:
                names.add(name)
    for requirements in list(project.glob("requirements*.txt")) + list(project.glob("requirements/*.txt")):
        for line in requirements.read_text(errors="replace").splitlines():
            name = requirement_name(line)
            if name:
                names.add(name)
    return names


def declared_extensions(requirements: set[str]) -> set[str]:
    found = set()
    for name in requirements:
        if name in _BY_KEY:
            found.add(_BY_KEY[name])
        elif name in _ALIASES:
            found.add(_ALIASES[name])
    return found


def scan(project: Path) -> dict:
    command = [sys.executable, "-m", "migrate_audit", "scan", str(project), "--format", "json"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"scan of {project.name} failed: {done.stderr.strip()[:200]}")
    return json.loads(done.stdout)


def context(project: Path, path: str, line: int, around: int = 3) -> str:
    try:
        lines = (project / path).read_text(errors="replace").splitlines()
    except OSError:
        return "    (unreadable)"
    start, end = max(0, line - 1 - around), min(len(lines), line + around)
    return "\n".join(f"{'>' if i + 1 == line else ' '} {i + 1:5} {lines[i]}" for i in range(start, end))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", default=os.environ.get("MIGRATE_AUDIT_CORPUS", HERE / ".corpus"))
    parser.add_argument("--sample", type=int, default=3, help="findings sampled per rule, over the whole corpus")
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--out", default=str(HERE / ".corpus-samples.txt"))
    parser.add_argument("--only", default="", help="comma-separated project folder prefixes")
    parser.add_argument("--tally", metavar="REVIEWED_FILE", help="count the verdicts of a reviewed sample file")
    args = parser.parse_args(argv)
    if args.tally:
        return tally(Path(args.tally))
    corpus = Path(args.corpus)
    projects = sorted(p for p in corpus.iterdir() if p.is_dir() and not p.name.startswith("."))
    if args.only:
        wanted = tuple(args.only.split(","))
        projects = [p for p in projects if p.name.startswith(wanted)]
    if not projects:
        print(f"no projects under {corpus}; run bench/corpus.py first", file=sys.stderr)
        return 2
    everything: dict[str, list[tuple[Path, dict]]] = collections.defaultdict(list)
    totals: collections.Counter[str] = collections.Counter()
    generic: collections.Counter[str] = collections.Counter()
    for project in projects:
        report = scan(project)
        summary = report["summary"]
        findings = [f for f in report["findings"] if not f["suppressed"]]
        by_rule = collections.defaultdict(list)
        for finding in findings:
            by_rule[finding["code"]].append(finding)
        totals.update({code: len(items) for code, items in by_rule.items()})
        apis = collections.Counter(
            re.search(r"`([^`]+)`", f["message"]).group(1) for f in by_rule.get("FMA900", ())  # type: ignore[union-attr]
        )
        generic.update(apis)
        reported = {e["name"] for e in report["extensions"]}
        declared = declared_extensions(declared_requirements(project))
        top = sorted(by_rule, key=lambda c: -len(by_rule[c]))[:8]
        print(f"== {project.name}")
        print(f"   files {summary['files_scanned']}  lines {summary['lines']}  findings {summary['findings']}  "
              f"readiness {summary['readiness']} ({summary['grade']})  story points {summary['story_points']}")
        print("   top rules: " + ", ".join(f"{c} {len(by_rule[c])}" for c in top))
        print("   FMA900 top APIs: " + (", ".join(f"{a} {n}" for a, n in apis.most_common(8)) or "none"))
        print(f"   extensions reported: {', '.join(sorted(reported)) or 'none'}")
        print(f"   declared by metadata: {', '.join(sorted(declared)) or 'none'}")
        print(f"   declared, not reported: {', '.join(sorted(declared - reported)) or 'none'}")
        print(f"   reported, not declared: {', '.join(sorted(reported - declared)) or 'none'}")
        for code, items in by_rule.items():
            everything[code].extend((project, finding) for finding in items)
    samples: list[str] = []
    for code in sorted(everything):
        rng = random.Random(f"{args.seed}:{code}")  # per rule: a change in one rule leaves the others' sample
        for project, finding in rng.sample(everything[code], min(args.sample, len(everything[code]))):
            samples.append(
                f"### {code} {project.name}/{finding['path']}:{finding['line']}:{finding['column']}\n"
                f"    {finding['message']}\n{context(project, finding['path'], finding['line'])}\n"
                "    verdict: ? (TP, or FP and why)\n"
            )
    print("== all projects")
    print("   findings per rule: " + ", ".join(f"{c} {n}" for c, n in sorted(totals.items())))
    print("   FMA900 top APIs: " + ", ".join(f"{a} {n}" for a, n in generic.most_common(25)))
    Path(args.out).write_text("\n".join(samples), encoding="utf-8")
    print(f"   {len(samples)} sampled findings of {len(everything)} rules written to {args.out}")
    return 0


_SAMPLE_RE = re.compile(r"^### (FMA\d{3}) ", re.MULTILINE)
_VERDICT_RE = re.compile(r"^\s*verdict:\s*(TP|FP)\b", re.MULTILINE)


def tally(path: Path) -> int:
    """Per rule: sampled, TP, FP and precision, from a sample file whose verdict lines were filled in."""
    text = path.read_text(encoding="utf-8")
    starts = [m.start() for m in _SAMPLE_RE.finditer(text)] + [len(text)]
    counts: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for start, end in zip(starts, starts[1:]):
        block = text[start:end]
        code = _SAMPLE_RE.match(block).group(1)  # type: ignore[union-attr]
        verdict = _VERDICT_RE.search(block)
        counts[code][verdict.group(1) if verdict else "unreviewed"] += 1
    print(f"{'rule':8} {'sampled':>7} {'TP':>4} {'FP':>4} {'open':>4}  precision")
    total: collections.Counter[str] = collections.Counter()
    for code in sorted(counts):
        c = counts[code]
        total.update(c)
        judged = c["TP"] + c["FP"]
        share = f"{c['TP'] / judged:.0%}" if judged else "-"
        print(f"{code:8} {sum(c.values()):7} {c['TP']:4} {c['FP']:4} {c['unreviewed']:4}  {share}")
    judged = total["TP"] + total["FP"]
    share = f"{total['TP'] / judged:.1%}" if judged else "-"
    print(f"{'all':8} {sum(total.values()):7} {total['TP']:4} {total['FP']:4} {total['unreviewed']:4}  {share}"
          f"  ({len(counts)} rules)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
