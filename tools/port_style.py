"""What `ruff check` and `ruff format` say about the lines `migrate-audit port` wrote, and only those.

    python tools/port_style.py [--real] [--show] [CASE ...]

Ports every proof case (or the ones named; `--real` adds the three real apps of bench/port_real.py, which
need $MIGRATE_AUDIT_CORPUS) and counts, per rule, the violations on lines the port wrote or changed:

* `ruff check --isolated` with its default rules and isort's (`I`): a violation counts when its lines meet a
  line the port wrote (I001, the unsorted import block, only when the original's block was sorted);
* `ruff format --isolated`: the file formatted whole and compared with itself line by line; a change counts
  when it touches a line the port wrote, or, when it only adds or removes blank lines, a place where the
  port inserted or deleted lines (its `format:` kind says what ruff changed: a long line wrapped, blank
  lines, quotes, anything else).

A project's own code is not ours to reformat: what ruff would change on lines the port did not write is not
counted (nor changed by the port). Needs ruff (the `test` extra). A developer tool (tests/test_port.py
runs `violations`); not part of the package.
"""
from __future__ import annotations

import argparse
import bisect
import difflib
import json
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from migrate_audit.port import port
from migrate_audit.port.imports import first_party
from migrate_audit.port.layout import quote_of
from migrate_audit.port.units import draft_path
from migrate_audit.proofs import Proof, all_proofs

ROOT = Path(__file__).resolve().parents[1]
LINE_LENGTH = 88  # ruff's default, which --isolated uses


@dataclass(frozen=True)
class Violation:
    path: str
    line: int  # 1-based, in the ported text
    rule: str  # a ruff rule code, or format:<kind>
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.rule} {self.text[:70]}"


@dataclass(frozen=True)
class Written:
    """Where the port changed a file: the 0-based lines it wrote, and the places (0..n, between lines) where it
    inserted or deleted lines."""

    lines: frozenset[int]
    places: frozenset[int]


def written(before: str | None, after: str) -> Written:
    new = after.splitlines()
    if before is None:  # a file the port wrote whole
        return Written(frozenset(range(len(new))), frozenset(range(len(new) + 1)))
    lines: set[int] = set()
    places: set[int] = set()
    matcher = difflib.SequenceMatcher(None, before.splitlines(), new, autojunk=False)
    for tag, _, _, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            lines.update(range(j1, j2))
            places.update((j1, j2))
    return Written(frozenset(lines), frozenset(places))


def _ruff(*arguments: str, stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    # the module form finds the venv's ruff when its bin/ is not on PATH
    return subprocess.run([sys.executable, "-m", "ruff", *arguments], input=stdin, capture_output=True, text=True,
                          cwd=cwd)


def _checked(folder: Path, select: str | None = None) -> dict[str, list[dict]]:
    """`ruff check` on every file of `folder`, by path relative to it: the rules `select`, else ruff's default
    rules and isort's; run there, so that isort finds the project's own modules (first-party) as it would in the
    project. Python 3.10, the oldest the package (and what it writes) supports."""
    rules = ("--select", select) if select else ("--extend-select", "I")
    run = _ruff("check", "--isolated", "--no-cache", "--target-version", "py310", *rules, "--output-format", "json",
                ".", cwd=folder)
    found: dict[str, list[dict]] = {}
    for item in json.loads(run.stdout or "[]"):
        filename = Path(item["filename"])
        filename = filename if filename.is_absolute() else folder / filename
        found.setdefault(filename.resolve().relative_to(folder.resolve()).as_posix(), []).append(item)
    return found


def formatted(text: str, quote: str = '"') -> str:
    """`text` as ruff formats it, with the quotes `quote` (a project in single quotes formats with them)."""
    style = ("--config", "format.quote-style = 'single'") if quote == "'" else ()
    run = _ruff("format", "--isolated", *style, "--stdin-filename", "ported.py", "-", stdin=text)
    return run.stdout if run.returncode == 0 else text  # a file ruff cannot parse: the check reports it


def _kind(old: list[str], new: list[str]) -> str:
    if [line for line in old if line.strip()] == [line for line in new if line.strip()]:
        return "blank-lines"
    if any(len(line) > LINE_LENGTH for line in old):
        return "long-line"
    if [line.replace("'", '"') for line in old] == [line.replace("'", '"') for line in new]:
        return "quotes"
    return "other"


def _moved_path(relpath: str) -> str:
    """split.py's module for the views of `relpath` it moves (`app.py` -> `app_fastapi.py`, a package's
    `__init__.py` -> `fastapi_routes.py`)."""
    folder, _, name = relpath.rpartition("/")
    return (folder + "/" if folder else "") + ("fastapi_routes.py" if name == "__init__.py" else name[:-3] + "_fastapi.py")


def violations(before: dict[str, str], after: dict[str, str], select: str | None = None,
               modules: frozenset[str] = frozenset()) -> list[Violation]:
    """The violations on the lines the port wrote in `after` (path -> ported text; `before`: the originals of
    the files it changed, a file absent from it was written whole); `select`: ruff check's rules (default: its
    default rules and isort's); `modules`: the project's top-level modules, so that ruff finds them first-party
    (imports.first_party)."""
    python = {path: text for path, text in after.items() if path.endswith(".py")}
    # a draft (units.py) is its module converted: what the port wrote in it is what differs from the module
    before = {**{draft_path(path): text for path, text in before.items() if draft_path(path) in after}, **before}
    # views moved to FastAPI (split.py) are copies of the Flask module's: what the port wrote is what differs from it
    before = {**{_moved_path(path): text for path, text in before.items() if _moved_path(path) in after}, **before}
    where = {path: written(before.get(path), text) for path, text in python.items()}
    found: list[Violation] = []
    with tempfile.TemporaryDirectory(prefix="port-style-") as tmp:
        for side, texts in (("after", python), ("before", {p: before[p] for p in python if p in before})):
            for path, text in texts.items():
                (Path(tmp) / side / path).parent.mkdir(parents=True, exist_ok=True)
                (Path(tmp) / side / path).write_text(text, encoding="utf-8")
            for module in modules:  # a folder of its name is what ruff looks for
                (Path(tmp) / side / module).mkdir(parents=True, exist_ok=True)
        checked = _checked(Path(tmp) / "after", select)
        unsorted_before = {path for path, items in _checked(Path(tmp) / "before", "I").items()
                           if any(item["code"] == "I001" for item in items)}
    for path, items in sorted(checked.items()):
        for item in items:
            first, last = item["location"]["row"] - 1, item["end_location"]["row"] - 1
            if item["code"] == "I001" and path in unsorted_before:
                continue
            if any(line in where[path].lines for line in range(first, last + 1)):
                found.append(Violation(path, first + 1, item["code"] or "syntax", item["message"]))
    for path, text in sorted(python.items()):
        # the quotes the file used before the port: the port writes its strings in them (port/layout.py)
        old, new = text.splitlines(), formatted(text, quote_of(before.get(path, text))).splitlines()
        matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
        theirs = _blank_line_changes(before[path]) if path in before else set()
        back = _lines_back(before[path], text) if path in before else {}
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            kind = _kind(old[i1:i2], new[j1:j2])
            # a comment line the port wrote (a TODO) is not what ruff reformats: the code beside it in the same
            # change is the project's
            ours = any(line in where[path].lines and (kind == "blank-lines" or not old[line].lstrip().startswith("#"))
                       for line in range(i1, i2)) or (
                kind == "blank-lines" and any(place in where[path].places for place in range(i1, i2 + 1)))
            if kind == "blank-lines" and _between(back, i1, i2) & theirs:
                ours = False  # blank lines the original already lacked (or had too many of) between the same lines
            if ours:
                shown = (old[i1:i2] or new[j1:j2] or [""])[0].strip()
                found.append(Violation(path, i1 + 1, f"format:{kind}", shown))
    return found


def _blank_line_changes(text: str) -> set[int]:
    """The places (0..n) of `text` where ruff's formatter adds or removes blank lines only."""
    old, new = text.splitlines(), formatted(text, quote_of(text)).splitlines()
    found: set[int] = set()
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        # blank lines added or removed, whatever else ruff changes there (the project's quotes, say)
        if tag != "equal" and sum(not line.strip() for line in old[i1:i2]) != sum(not line.strip() for line in new[j1:j2]):
            found.update(range(i1, i2 + 1))
    return found


def _lines_back(before: str, after: str) -> dict[int, int]:
    """The ported text's lines that are the original's, unchanged: ported line -> original line."""
    matcher = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines(), autojunk=False)
    return {j1 + k: i1 + k for tag, i1, _, j1, j2 in matcher.get_opcodes() if tag == "equal" for k in range(j2 - j1)}


def _between(back: dict[int, int], first: int, last: int) -> set[int]:
    """The original's places between the nearest unchanged lines around the ported lines [first, last)."""
    kept = sorted(back)
    at = bisect.bisect_left(kept, first)
    above = back[kept[at - 1]] if at > 0 else -1
    after = bisect.bisect_left(kept, last)
    below = back[kept[after]] if after < len(kept) else above + 1
    return set(range(above + 1, below + 1))


def ported_case(proof: Proof) -> tuple[dict[str, str], dict[str, str], frozenset[str]]:
    """(before, after, its top-level modules) of the case's Flask app ported as the proof table ports it."""
    with tempfile.TemporaryDirectory(prefix=f"port-style-{proof.name}-") as tmp:
        for relpath, text in proof.sources("flask"):
            (Path(tmp) / relpath).parent.mkdir(parents=True, exist_ok=True)
            (Path(tmp) / relpath).write_text(text, encoding="utf-8")
        result = port(tmp)
        return result.before, result.after, first_party(Path(tmp))


def ported_real() -> dict[str, tuple[dict[str, str], dict[str, str], frozenset[str]]]:
    sys.path.insert(0, str(ROOT / "bench"))
    import port_real  # type: ignore[import-not-found]

    found = {}
    for app in port_real.APPS:
        if app.control:
            continue
        source = port_real.source_of(app)
        result = port(str(source), only=app.only)
        found[app.name] = (result.before, result.after, first_party(source))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*")
    parser.add_argument("--real", action="store_true", help="also the real apps of bench/port_real.py")
    parser.add_argument("--show", action="store_true", help="print every violation")
    args = parser.parse_args(argv)
    ported = {proof.name: ported_case(proof) for proof in all_proofs() if not args.cases or proof.name in args.cases}
    groups = {"proof cases": ported}
    if args.real:
        groups["real apps"] = ported_real()
    total = 0
    for group, runs in groups.items():
        counts: Counter[str] = Counter()
        written_lines = 0
        for name, (before, after, modules) in runs.items():
            written_lines += sum(len(written(before.get(p), t).lines) for p, t in after.items() if p.endswith(".py"))
            for violation in violations(before, after, modules=modules):
                counts[violation.rule] += 1
                if args.show:
                    print(f"{name}/{violation}")
        total += sum(counts.values())
        print(f"{group}: {len(runs)} ported, {written_lines} lines written, {sum(counts.values())} violations on them")
        for rule, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            print(f"  {rule:20} {count}")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
