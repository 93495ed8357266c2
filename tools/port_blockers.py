"""What keeps each proof case's routes from converting fully, ranked: a measuring tool for the port's work list.

    python tools/port_blockers.py [NAME ...]

For every route of the proof cases' Flask apps that `migrate-audit port` does not convert fully, it prints the
rules left to people (TODOs) in the route's view, as the port would leave them if the route's unit converted,
and why the unit stays Flask when it does (the app-level blocker, e.g. `app.secret_key`). Then it ranks the
rules by the routes they block alone: the rewrites that would convert the most routes. Reads the port's first
pass (port/convert.py on every file, as units.py sees it); imports nothing of the cases. A developer tool,
not part of the package.
"""
from __future__ import annotations

import argparse
import collections
import sys
import tempfile
from pathlib import Path

from migrate_audit.port import _name_of, _view_of, codes, plan, port, units
from migrate_audit.port.convert import Facts, port_file
from migrate_audit.proofs import all_proofs


def blockers(names: list[str]) -> list[tuple[str, str, list[str], str]]:
    """(case, view, rules left in the view, why its unit stays Flask) per route not converted fully."""
    rows = []
    for proof in all_proofs():
        if names and proof.name not in names:
            continue
        with tempfile.TemporaryDirectory(prefix=f"blockers-{proof.name}-") as tmp:
            for relpath, text in proof.sources("flask"):
                (Path(tmp) / relpath).parent.mkdir(parents=True, exist_ok=True)
                (Path(tmp) / relpath).write_text(text, encoding="utf-8")
            project = plan.read_project(tmp)
            resolve = plan.resolver(project)
            facts = Facts(project.root, project.app_folder, frozenset(project.flagged),  # the port's (port/__init__.py)
                          flask_config=plan.keeps_config(project, set(project.findings)),
                          flask_injector=plan.injector_on_every_app(project))
            trial = {relpath: project.parse(relpath) for relpath in project.findings}
            for file in trial.values():
                port_file(file, resolve, None, facts)
            why = units.staying(trial, set(trial), [])
            converted = {(path, name) for path, _, name in port(tmp).converted}
            for relpath, file in sorted(trial.items()):
                for site in file.sites_of(codes.ROUTE_DECORATOR):
                    view = _view_of(site)
                    if (relpath, _name_of(view)) in converted:
                        continue
                    left = sorted({s.code for s in file.sites_in(view) if not s.handled})
                    unit = next(iter(sorted(file.units)), "app")
                    rows.append((proof.name, _name_of(view), left, why.get(unit) or why.get("app", "")))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/port_blockers.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="case names (default: all)")
    rows = blockers(parser.parse_args(argv).names)
    for case, view, left, why in rows:
        print(f"{case} {view}: {' '.join(left) or '-'}" + (f" | unit stays: {why[:100]}" if why else ""))
    alone = collections.Counter(left[0] for _, _, left, _ in rows if len(left) == 1)
    print(f"\n{len(rows)} routes not converted fully; rules blocking a route alone (in its view):")
    for code, count in alone.most_common():
        print(f"  {code}: {count}")
    stays = collections.Counter(_reason(why) for _, _, left, why in rows if not left and why)
    print("routes whose view is clean but whose unit stays Flask, by the first reason:")
    for reason, count in stays.most_common():
        print(f"  {count}: {reason}")
    return 0


def _reason(why: str) -> str:
    """units.py's reason shortened to what it is about: `FMA512 (app.secret_key)`, or the object handed over."""
    if why.startswith("FMA") and " (" in why:
        return why.split(" at ")[0] + " (" + why.split(" (", 1)[1].split(")")[0] + ")"
    if " is used at " in why:
        return "the object handed to other code: " + why.rsplit(": ", 1)[-1].split("(")[0]
    return why[:80]


if __name__ == "__main__":
    sys.exit(main())
