"""One-off: turn each proof case `cases/<name>.toml` (apps as TOML strings) into a folder of real files.

    cases/<name>/case.toml        what the case claims: rules, title, notes, env, requests, calls
    cases/<name>/measured.json    what the harness last measured (was <name>.measured.json)
    cases/<name>/<side>/app.py    the side's app module, and its other files beside it
    cases/<name>/<side>_probe.py  the side's probe (helpers the calls use), when it has one

The naive side keeps only what differs from the FastAPI side (the harness lays it over the FastAPI
folder), as the TOML did key by key. Every file is written byte for byte as its TOML string was. The
TOML text is kept line for line (comments included) minus the keys that became files; the script checks
that the new case.toml plus the files give back exactly the data of the old TOML.
"""
from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

CASES = Path(__file__).resolve().parents[1] / "src" / "migrate_audit" / "proofs" / "cases"
SIDES = ("flask", "fastapi", "naive")
_KEY = re.compile(r"^(\"[^\"]*\"|[A-Za-z0-9_.\-]+)\s*=\s*(.*)$")


def _statements(text: str) -> list[tuple[str, str | None, list[str]]]:
    """(table, key or None, lines) for each header, key/value (with its multi-line string) or other line."""
    lines = text.split("\n")
    out: list[tuple[str, str | None, list[str]]] = []
    table = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("["):
            table = line.strip().strip("[]")
            out.append((table, "[header]", [line]))
            i += 1
            continue
        match = _KEY.match(line)
        if not match:
            out.append((table, None, [line]))
            i += 1
            continue
        value, chunk = match.group(2), [line]
        for delimiter in ("'''", '"""'):  # a multi-line string, maybe inside an inline table
            if value.count(delimiter) % 2:
                i += 1
                while delimiter not in lines[i]:
                    chunk.append(lines[i])
                    i += 1
                chunk.append(lines[i])
                break
        out.append((table, match.group(1), chunk))
        i += 1
    return out


def _metadata_text(text: str) -> str:
    """The TOML minus code, probe and files of every side; side tables left empty are dropped."""
    kept: list[tuple[str, str | None, list[str]]] = []
    for table, key, chunk in _statements(text):
        if table in SIDES and key in ("code", "probe", "files"):
            continue
        if table.endswith(".files") and table.split(".")[0] in SIDES:
            if key is not None and key != "[header]":
                continue
            if key == "[header]":
                continue
        kept.append((table, key, chunk))
    # Drop side headers with no keys left (comments and blanks do not count as keys).
    result: list[str] = []
    for n, (table, key, chunk) in enumerate(kept):
        if key == "[header]" and table in SIDES:
            rest = [k for t, k, _ in kept[n + 1:] if t == table]
            if not any(k not in (None, "[header]") for k in rest):
                continue
        result += chunk
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(result))
    return body.strip("\n") + "\n"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)


def convert(toml_path: Path) -> None:
    name = toml_path.name[:-5]
    text = toml_path.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    folder = CASES / name
    assert not folder.exists(), folder
    fastapi = data["fastapi"]
    for side in SIDES:
        table = data.get(side)
        if table is None:
            continue
        files = {"app.py": table["code"]} if "code" in table else {}
        files.update(table.get("files", {}))
        if side == "naive":
            inherited = {"app.py": fastapi["code"], **fastapi.get("files", {})}
            if "files" in table:  # the TOML replaced the whole table: it must name every FastAPI file
                assert set(table["files"]) == set(fastapi.get("files", {})), name
            files = {path: body for path, body in files.items() if inherited.get(path) != body}
            assert files, f"{name}: the naive side is the FastAPI side"
        for relpath, body in files.items():
            _write(folder / side / relpath, body)
        if table.get("probe"):
            _write(folder / f"{side}_probe.py", table["probe"])
    _write(folder / "case.toml", _metadata_text(text))
    measured = CASES / f"{name}.measured.json"
    if measured.exists():
        measured.rename(folder / "measured.json")
    toml_path.unlink()


def main() -> int:
    for path in sorted(CASES.glob("*.toml")):
        convert(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
