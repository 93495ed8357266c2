#!/usr/bin/env python3
"""A seeded random sample of the extension findings of saved reports, with the code around each, for
judging precision by hand (bench/extension-precision.md).

    python bench/extension_sample.py REPORTS_DIR [--corpus DIR] [--size 150] [--seed 19] [--context 3]

REPORTS_DIR holds `<project>.json` as `bench/same_findings.py --save` writes them; the corpus defaults
to `$MIGRATE_AUDIT_CORPUS` or bench/.corpus. Extension findings: every FMA3xx (adoptions and uses of
extension APIs) and the claims the project's facts govern (FMA407 and FMA807, Flask's cookie session;
FMA611, Flask-Babel's gettext in templates). Suppressed findings are left out (the report does not
count them).
"""
from __future__ import annotations

import argparse
import json
import os
import random
from pathlib import Path

FACT_RULES = {"FMA407", "FMA807", "FMA611"}


def is_extension_finding(code: str) -> bool:
    return code.startswith("FMA3") or code in FACT_RULES


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reports")
    parser.add_argument("--corpus", default=os.environ.get("MIGRATE_AUDIT_CORPUS",
                                                          str(Path(__file__).resolve().parent / ".corpus")))
    parser.add_argument("--size", type=int, default=150)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--context", type=int, default=3)
    args = parser.parse_args()
    population = []
    for report in sorted(Path(args.reports).glob("*.json")):
        data = json.loads(report.read_text(encoding="utf-8"))
        population += [(report.stem, f) for f in data["findings"]
                       if is_extension_finding(f["code"]) and not f["suppressed"]]
    sample = sorted(random.Random(args.seed).sample(population, min(args.size, len(population))),
                    key=lambda item: (item[0], item[1]["path"], item[1]["line"], item[1]["code"]))
    print(f"# {len(sample)} of {len(population)} extension findings, seed {args.seed}, "
          f"{len({project for project, _ in sample})} projects")
    for number, (project, finding) in enumerate(sample, 1):
        path = Path(args.corpus, project, finding["path"])
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines() if path.is_file() else []
        start, line = max(1, finding["line"] - args.context), finding["line"]
        print(f"\n## {number} {finding['code']} {project}/{finding['path']}:{line}:{finding['column']}")
        print(f"   {finding['message']}")
        for n in range(start, min(len(lines), line + args.context) + 1):
            print(f"{'>' if n == line else ' '}{n:5} {lines[n - 1][:150]}")


if __name__ == "__main__":
    main()
