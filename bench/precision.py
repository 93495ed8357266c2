#!/usr/bin/env python3
"""Measure migrate-audit on real projects: what it reports, against what each project declares.

    python bench/precision.py [CORPUS_DIR] [--sample N] [--seed S] [--out FILE] [--only NAME,...]

CORPUS_DIR defaults to ``$MIGRATE_AUDIT_CORPUS`` or ``bench/.corpus`` (filled by ``bench/corpus.py``).
For each unpacked project it runs ``migrate-audit scan DIR --format json`` and prints: files, lines,
findings, readiness, the top rules, the top APIs of the generic FMA900 fallback, and the extension set
reported next to the Flask-ecosystem distributions the project's own metadata requires (PKG-INFO /
METADATA ``Requires-Dist``, ``*.egg-info/requires.txt``, ``setup.cfg``, ``pyproject.toml``,
``requirements*.txt``; all read as text, ``setup.py`` is never run). It writes a seeded random sample
of N findings per rule, with the surrounding source lines, to ``--out`` for review by hand.

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

from migrate_audit.ecosystem import EXTENSIONS, normalize_distribution  # noqa: E402

# Distribution names (normalised) that stand for a catalogue entry, besides the entry's own name:
# an extension whose catalogue record groups several distributions (Flask-Principal covers Flask-Security).
_ALIASES = {
    "flask-security": "Flask-Principal", "flask-security-too": "Flask-Principal",
    "flask-restplus": "Flask-RESTX", "flask-sockets": "Flask-Sock", "flask-sse": "Flask-Sock",
    "flask-rq2": "RQ", "flask-rq": "RQ", "flask-assets": "Flask-Uploads", "flask-reuploaded": "Flask-Uploads",
    "apispec": "flasgger", "flask-apispec": "flasgger", "flask-swagger-ui": "flasgger",
    "apispec-webframeworks": "flasgger",
}
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
    parser.add_argument("--sample", type=int, default=3, help="findings sampled per rule and project")
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--out", default=str(HERE / ".corpus-samples.txt"))
    parser.add_argument("--only", default="", help="comma-separated project folder prefixes")
    args = parser.parse_args(argv)
    corpus = Path(args.corpus)
    projects = sorted(p for p in corpus.iterdir() if p.is_dir() and not p.name.startswith("."))
    if args.only:
        wanted = tuple(args.only.split(","))
        projects = [p for p in projects if p.name.startswith(wanted)]
    if not projects:
        print(f"no projects under {corpus}; run bench/corpus.py first", file=sys.stderr)
        return 2
    rng = random.Random(args.seed)
    samples: list[str] = []
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
        for code in sorted(by_rule):
            for finding in rng.sample(by_rule[code], min(args.sample, len(by_rule[code]))):
                samples.append(
                    f"### {code} {project.name}/{finding['path']}:{finding['line']}:{finding['column']}\n"
                    f"    {finding['message']}\n{context(project, finding['path'], finding['line'])}\n"
                    "    verdict: TP / FP\n"
                )
    print("== all projects")
    print("   findings per rule: " + ", ".join(f"{c} {n}" for c, n in sorted(totals.items())))
    print("   FMA900 top APIs: " + ", ".join(f"{a} {n}" for a, n in generic.most_common(25)))
    Path(args.out).write_text("\n".join(samples), encoding="utf-8")
    print(f"   {len(samples)} sampled findings written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
