#!/usr/bin/env python3
"""The floor under a cold scan: the work `migrate-audit scan` cannot leave out, and nothing else.

    python bench/floor_work.py --jobs 2 PATH...      # perf.py runs it as its "floor" scenario

On the files the scan discovers in PATH, in as many processes as the scan uses:
- read and decode every one of them (the pre-filter needs the text);
- for each Python file the pre-filter keeps (the scan analyses at least those), parse it with
  tree-sitter (the engine's one parse) and check it with Python's own parser and symbol table (the
  syntax-error diagnostics: tree-sitter accepts Python 2 and repairs errors silently);
- lex and parse with Jinja every template in a `templates` folder (findings and syntax errors).

No rule, no name resolution, no project index, no report. So `floor / ast-grep > 1` means no scan
that parses and checks the same files the same way can be as fast as ast-grep's, however cheap its
rules; `scan / floor` is what the rules, the name resolution and the report cost on top.
Prints one JSON line of counts.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import symtable
import sys
import warnings

from ast_grep_py import SgRoot

from migrate_audit.discovery import discover
from migrate_audit.filekinds import TEMPLATE
from migrate_audit.filekinds.templates import jinja_environment
from migrate_audit.prefilter import mentions_interest
from migrate_audit.source import without_surrogates

CHUNK = 16


def work(chunk: list[tuple[str, str]]) -> tuple[int, int, int]:
    """(files read, Python files parsed and checked, templates parsed) for (kind, path) items."""
    read = parsed = templates = 0
    for kind, path in chunk:
        try:
            with open(path, "rb") as handle:
                text = handle.read().decode("utf-8", "surrogateescape")
        except OSError:
            continue
        read += 1
        if kind == "python" and mentions_interest(text):
            SgRoot(without_surrogates(text), "python").root()
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    symtable.symtable(text, path, "exec")
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                pass
            parsed += 1
        elif kind == TEMPLATE:
            try:
                jinja_environment().parse(text)
            except Exception:  # noqa: BLE001 - a syntax error is still the parse's full cost
                pass
            templates += 1
    return read, parsed, templates


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=multiprocessing.cpu_count())
    parser.add_argument("--no-templates", action="store_true", help="the Python files' floor alone")
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()
    sources, _, _ = discover(args.paths)
    items = [(source.kind, source.path) for source in sources if not (args.no_templates and source.kind == TEMPLATE)]
    chunks = [items[i:i + CHUNK] for i in range(0, len(items), CHUNK)]
    if args.jobs > 1:
        with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
            counts = pool.map(work, chunks, chunksize=1)
    else:
        counts = [work(chunk) for chunk in chunks]
    read, parsed, templates = (sum(column) for column in zip(*counts)) if counts else (0, 0, 0)
    print(json.dumps({"files_read": read, "python_parsed": parsed, "templates_parsed": templates}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
