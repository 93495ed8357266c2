"""How alive the catalogue's counterparts look: each `counterpart_distributions` entry of ecosystem.py
against a package list (name, version, month of the latest release, download rank), and whether the
record's `health` text still says what the list says.

    python bench/counterpart_health.py PYPI_TSV [--as-of YYYY-MM] [--stale-months 18]

PYPI_TSV is a tab-separated list whose first line names the columns `name`, `version`, `month` and
`rank_among_15000_most_downloaded` (blank: not among them). It prints one row per counterpart and a
verdict per row (ok / STALE / UNRANKED / MISSING / HEALTH-TEXT); it is a report for a person, it
never fails a build. The list is read once, line by line, keeping only the names the catalogue needs.
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

from migrate_audit.ecosystem import EXTENSIONS, normalize_distribution

_YEAR = re.compile(r"\b(20\d\d)\b")


def _months(month: str) -> int:
    year, _, mon = month.partition("-")
    return int(year) * 12 + int(mon) - 1


def _years_said(health: str, dist: str) -> list[str]:
    """The years the health text gives for `dist`: those in the clause that names it."""
    named = re.compile(rf"(?<![\w-]){re.escape(normalize_distribution(dist))}(?![\w-])")
    return [year for clause in re.split(r"[;,]", health)
            if named.search(normalize_distribution(clause)) for year in _YEAR.findall(clause)]


def read_list(path: Path, wanted: set[str]) -> dict[str, dict[str, str]]:
    rows: dict[str, dict[str, str]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            key = normalize_distribution(row["name"] or "")
            if key in wanted:
                rows[key] = row
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pypi_tsv", type=Path)
    parser.add_argument("--as-of", help="YYYY-MM to measure ages from (default: the newest month in the list)")
    parser.add_argument("--stale-months", type=int, default=18)
    args = parser.parse_args(argv)
    if not args.pypi_tsv.is_file():
        print(f"error: {args.pypi_tsv} is not a file: pass the package list (a .tsv with name, version, month, "
              "rank_among_15000_most_downloaded)", file=sys.stderr)
        return 2
    wanted = {normalize_distribution(d) for e in EXTENSIONS for d in (*e.counterpart_distributions, e.distribution)}
    rows = read_list(args.pypi_tsv, wanted)
    as_of = args.as_of or max((r["month"] for r in rows.values() if r.get("month")), default="1970-01")
    print(f"counterparts against {args.pypi_tsv.name}, ages as of {as_of}, stale after {args.stale_months} months")
    print(f"{'code':7} {'counterpart':34} {'version':10} {'month':8} {'rank':>5}  verdict")
    for ext in EXTENSIONS:
        for dist in ext.counterpart_distributions:
            row = rows.get(normalize_distribution(dist))
            if row is None:
                print(f"{ext.code:7} {dist:34} {'-':10} {'-':8} {'-':>5}  MISSING from the list")
                continue
            notes = []
            age = _months(as_of) - _months(row["month"])
            if age > args.stale_months:
                notes.append(f"STALE: last release {age} months before {as_of}")
            if not row["rank_among_15000_most_downloaded"]:
                notes.append("UNRANKED: not among the 15,000 most downloaded")
            said = _years_said(ext.health, dist)
            if said and row["month"][:4] not in said:
                notes.append(f"HEALTH-TEXT: says {'/'.join(said)}, list says {row['month']}")
            print(f"{ext.code:7} {dist:34} {row['version']:10} {row['month']:8} "
                  f"{row['rank_among_15000_most_downloaded'] or '-':>5}  {'; '.join(notes) or 'ok'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
