#!/usr/bin/env python3
"""Extension recall: every Flask extension a project imports, found by an independent AST scan of its
imports, against the extensions table of migrate-audit's report.

    python bench/extension_recall.py [CORPUS_DIR] [--reports DIR] [--only NAME,...]

CORPUS_DIR defaults to ``$MIGRATE_AUDIT_CORPUS`` or ``bench/.corpus``. The reports are read from
``DIR/<project>.json`` (as ``bench/same_findings.py --save DIR`` writes them) or, without ``--reports``,
made by running ``migrate-audit scan --format json`` on each project.

The independent scan parses every ``.py`` file with Python's ``ast`` (never importing it) and takes each
absolute ``import`` / ``from ... import`` whose module is a Flask extension by name: a first component
``flask_*`` or ``flaskext``, ``flask.ext.*``, or one of the Flask integrations of other packages listed
in ``INTEGRATIONS`` below (written from issue 19, not read from the catalogue). A module whose first
component is one of the project's own top-level names (a folder or file in the tree) is the project's.
One unit per project and extension module (``flask_babelplus``; ``flask.ext.cache`` counts as
``flask_cache``). A unit is *found* when the report's extension table has a row for it; the catalogue is
used only to tell which row that is (``flask_restx`` -> Flask-RESTX). Each unit's row name is checked
against the module's own name (``flask_security`` must be named after "security"): a row that does not
contain the module's stem is listed as possibly named wrongly, for a person to judge.
"""
from __future__ import annotations

import argparse
import ast
import json
import os
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from migrate_audit.ecosystem import extension_for_module, normalize_distribution  # noqa: E402

# Flask integrations inside other packages (issue 19's list, plus the well-known non-`flask_` extension
# packages), and the name the distribution must carry.
INTEGRATIONS = {
    "authlib.integrations.flask_client": "authlib", "authlib.integrations.flask_oauth1": "authlib",
    "authlib.integrations.flask_oauth2": "authlib", "sentry_sdk.integrations.flask": "sentry",
    "raven.contrib.flask": "raven", "opentelemetry.instrumentation.flask": "opentelemetry",
    "prometheus_flask_exporter": "prometheus", "webargs.flaskparser": "webargs",
    "apispec_webframeworks.flask": "apispec", "bugsnag.flask": "bugsnag",
    "graphene_file_upload.flask": "graphene", "flasgger": "flasgger", "flaskthreads": "threads",
}
_SKIP_DIRS = {".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", "node_modules", "__pycache__", ".eggs"}


def corpus_dir(given: str | None) -> Path:
    if given:
        return Path(given)
    env = os.environ.get("MIGRATE_AUDIT_CORPUS")
    return Path(env) if env else HERE / ".corpus"


def python_files(project: Path) -> list[Path]:
    found = []
    for folder, dirs, files in os.walk(project):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.endswith(".egg-info"))
        found.extend(Path(folder, f) for f in sorted(files) if f.endswith(".py"))
    return found


def own_names(project: Path, files: list[Path]) -> set[str]:
    """Every folder and module name in the tree: an import of one of them is the project's own."""
    names = set()
    for path in files:
        for part in path.relative_to(project).parts:
            names.add(part.removesuffix(".py"))
    return names


def extension_unit(module: str) -> str | None:
    """The extension module an absolute import names, or None."""
    if module.startswith("flask.ext."):
        module = "flask_" + module[len("flask.ext."):]
    elif module.startswith("flaskext."):
        module = "flask_" + module[len("flaskext."):]
    for prefix in INTEGRATIONS:
        if module == prefix or module.startswith(prefix + "."):
            return prefix
    root = module.partition(".")[0]
    return root if root.startswith("flask_") else None


def imported_units(project: Path) -> tuple[dict[str, set[str]], list[str]]:
    """{unit: files importing it}, and the files that could not be parsed."""
    files = python_files(project)
    own = own_names(project, files)
    units: dict[str, set[str]] = defaultdict(set)
    unparsed = []
    for path in files:
        try:
            tree = ast.parse(path.read_bytes(), filename=str(path))
        except (SyntaxError, ValueError):
            unparsed.append(str(path.relative_to(project)))
            continue
        for node in ast.walk(tree):
            modules: list[str] = []
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
                if node.module in ("flask.ext", "flaskext"):
                    modules = [f"{node.module}.{alias.name}" for alias in node.names]
            for module in modules:
                unit = extension_unit(module)
                if unit and unit.partition(".")[0] not in own:
                    units[unit].add(str(path.relative_to(project)))
    return units, unparsed


def report_of(project: Path, reports: Path | None) -> dict:
    if reports is not None:
        return json.loads((reports / f"{project.name}.json").read_text())
    proc = subprocess.run([sys.executable, "-m", "migrate_audit", "scan", "--no-cache", "--format", "json",
                           str(project)], capture_output=True, text=True)
    return json.loads(proc.stdout)


def stem(unit: str) -> str:
    expected = INTEGRATIONS.get(unit)
    return expected or unit.removeprefix("flask_").replace("_", "").rstrip("0123456789") or unit


def row_for(unit: str, rows: list[dict]) -> dict | None:
    ext = extension_for_module(unit)
    for row in rows:
        if ext is not None and row["name"] == ext.distribution and row["module"] in ext.modules:
            return row
        if row["module"] == unit:
            return row
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?")
    parser.add_argument("--reports", help="folder of saved JSON reports (<project>.json)")
    parser.add_argument("--only", help="comma-separated project folder names")
    args = parser.parse_args()
    corpus = corpus_dir(args.corpus)
    reports = Path(args.reports) if args.reports else None
    projects = sorted(p for p in corpus.iterdir() if p.is_dir() and not p.name.startswith("."))
    if args.only:
        projects = [p for p in projects if p.name in args.only.split(",")]
    total = found = 0
    missing: list[str] = []
    suspicious: list[str] = []
    for project in projects:
        units, unparsed = imported_units(project)
        rows = report_of(project, reports)["extensions"]
        hits = 0
        for unit, files in sorted(units.items()):
            row = row_for(unit, rows)
            if row is None:
                missing.append(f"{project.name}: {unit} ({len(files)} files, e.g. {sorted(files)[0]})")
                continue
            hits += 1
            name = re.sub(r"[^a-z0-9]", "", normalize_distribution(row["name"]))
            if stem(unit) not in name:
                suspicious.append(f"{project.name}: {unit} reported as {row['name']!r}")
        total += len(units)
        found += hits
        note = f", {len(unparsed)} files Python cannot parse" if unparsed else ""
        print(f"{project.name:28} {hits:3}/{len(units):3} extension modules in the table{note}")
    print(f"\nrecall: {found}/{total} = {found / total:.3f}" if total else "\nno extension imports found")
    print(f"missing ({len(missing)}):" + "".join(f"\n  {m}" for m in missing))
    print(f"named unlike the module ({len(suspicious)}):" + "".join(f"\n  {s}" for s in suspicious))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
