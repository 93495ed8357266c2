"""Dependencies declared in project metadata: pyproject.toml (PEP 621 `dependencies` and
`optional-dependencies`, PEP 735 `[dependency-groups]`, Poetry's tables, uv's `dev-dependencies`),
setup.cfg (`install_requires`, `extras_require`), Pipfile (`[packages]`, `[dev-packages]`) and setup.py.

TOML is parsed with tomllib (tomli before Python 3.11), which gives no positions, so each requirement
is then located in the text: a PEP 508 string by its quoted spelling, a Poetry/Pipfile key by its
`name =` line inside its table. setup.py is read with `ast` and never run: only literal lists (or names
bound to literal lists at module level) passed to `setup()` count.
"""
from __future__ import annotations

import ast
import re
import sys
from typing import Any, Iterator

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

from ..model import Diagnostic
from ._base import char_column
from .requirements import Requirement, RequirementsFile, parse_requirements, requirement_name

_TABLE_RE = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")


class _Locator:
    """Finds where each value of a parsed TOML document is written, in document order."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        self.used: set[tuple[int, int]] = set()
        self.tables: list[tuple[int, str]] = []  # (line index, dotted table name)
        for i, line in enumerate(self.lines):
            match = _TABLE_RE.match(line)
            if match:
                self.tables.append((i, ".".join(p.strip().strip("\"'") for p in match.group(1).split("."))))

    def table_start(self, name: str) -> int:
        for index, table in self.tables:
            if table == name:
                return index
        return 0

    def string(self, value: str, after: int) -> tuple[int, int]:
        """(line, column of the first character inside the quotes) of the string literal `value`."""
        for quote in ('"', "'"):
            needle = quote + value + quote
            for i in range(after, len(self.lines)):
                start = 0
                while True:
                    col = self.lines[i].find(needle, start)
                    if col < 0:
                        break
                    if (i, col) not in self.used:
                        self.used.add((i, col))
                        return i + 1, col + 2
                    start = col + 1
        return after + 1, 1

    def key(self, key: str, table: str) -> tuple[int, int]:
        start = self.table_start(table)
        pattern = re.compile(r"^(\s*)([\"']?)" + re.escape(key) + r"\2\s*=")
        for i in range(start, len(self.lines)):
            if i > start and _TABLE_RE.match(self.lines[i]):
                break
            match = pattern.match(self.lines[i])
            if match:
                return i + 1, len(match.group(1)) + len(match.group(2)) + 1
        return start + 1, 1


def _load_toml(text: str, relpath: str) -> tuple[dict[str, Any] | None, list[Diagnostic]]:
    try:
        return tomllib.loads(text), []
    except tomllib.TOMLDecodeError as exc:
        line = int(m.group(1)) if (m := re.search(r"line (\d+)", str(exc))) else 0
        return None, [Diagnostic(relpath, "parse-error", f"not valid TOML: {exc}; its dependencies were not read", line)]


def _strings(table: Any, where: str) -> Iterator[str]:
    if isinstance(table, list):
        for item in table:
            if isinstance(item, str):
                yield item


def _pep508(locator: _Locator, specs: Iterator[str], table: str, group: str | None) -> Iterator[Requirement]:
    start = locator.table_start(table)
    for spec in specs:
        name = requirement_name(spec)
        if name is None:
            continue
        line, column = locator.string(spec, start)
        yield Requirement(name, line, column, group, spec)


def parse_pyproject(text: str, relpath: str) -> RequirementsFile:
    data, diagnostics = _load_toml(text, relpath)
    parsed = RequirementsFile([], [], diagnostics)
    if data is None:
        return parsed
    loc = _Locator(text)
    reqs = parsed.requirements
    project = data.get("project") if isinstance(data.get("project"), dict) else {}
    reqs += _pep508(loc, _strings(project.get("dependencies"), "project"), "project", None)
    optional = project.get("optional-dependencies")
    if isinstance(optional, dict):
        for extra, specs in optional.items():
            reqs += _pep508(loc, _strings(specs, extra), "project.optional-dependencies", f"extra:{extra}")
    groups = data.get("dependency-groups")
    if isinstance(groups, dict):  # PEP 735; `{include-group = ...}` items are references, not projects
        for group, specs in groups.items():
            reqs += _pep508(loc, _strings(specs, group), "dependency-groups", f"group:{group}")
    tool = data.get("tool") if isinstance(data.get("tool"), dict) else {}
    uv = tool.get("uv") if isinstance(tool.get("uv"), dict) else {}
    reqs += _pep508(loc, _strings(uv.get("dev-dependencies"), "uv"), "tool.uv", "dev")
    poetry = tool.get("poetry") if isinstance(tool.get("poetry"), dict) else {}
    reqs += _keyed(loc, poetry.get("dependencies"), "tool.poetry.dependencies", None)
    reqs += _keyed(loc, poetry.get("dev-dependencies"), "tool.poetry.dev-dependencies", "dev")
    poetry_groups = poetry.get("group")
    if isinstance(poetry_groups, dict):
        for group, body in poetry_groups.items():
            if isinstance(body, dict):
                reqs += _keyed(loc, body.get("dependencies"), f"tool.poetry.group.{group}.dependencies",
                               f"group:{group}")
    return parsed


def _keyed(loc: _Locator, table: Any, table_name: str, group: str | None) -> Iterator[Requirement]:
    """Poetry and Pipfile tables: `flask = "^3.0"` or `flask = {version = "*", extras = [...]}`."""
    if not isinstance(table, dict):
        return
    for key in table:
        if key.lower() == "python" or requirement_name(key) != key:
            continue  # `python = "^3.11"` is the interpreter, not a project
        line, column = loc.key(key, table_name)
        yield Requirement(key, line, column, group, key)


def parse_pipfile(text: str, relpath: str) -> RequirementsFile:
    data, diagnostics = _load_toml(text, relpath)
    parsed = RequirementsFile([], [], diagnostics)
    if data is None:
        return parsed
    loc = _Locator(text)
    parsed.requirements += _keyed(loc, data.get("packages"), "packages", None)
    parsed.requirements += _keyed(loc, data.get("dev-packages"), "dev-packages", "dev")
    return parsed


# --- setup.cfg ------------------------------------------------------------------------------------

_SECTION_RE = re.compile(r"^\[([^\]]+)\]\s*$")
_KEY_RE = re.compile(r"^([A-Za-z0-9_.-]+)\s*[=:]\s*(.*)$")


def parse_setup_cfg(text: str, relpath: str) -> RequirementsFile:
    """`[options] install_requires` and `[options.extras_require]`, one requirement per value line.
    `file:` values name requirements files, which are then read as includes."""
    import configparser

    parsed = RequirementsFile([], [], [])
    try:
        configparser.ConfigParser(interpolation=None, strict=False).read_string(text)
    except configparser.Error as exc:
        line = getattr(exc, "lineno", 0) or 0
        parsed.diagnostics.append(Diagnostic(relpath, "syntax-error",
                                             f"not a valid setup.cfg: {str(exc).splitlines()[0]}", line))
    section = ""
    key: str | None = None
    for number, raw in enumerate(text.split("\n"), 1):
        if not raw.strip() or raw.lstrip().startswith(("#", ";")):
            continue
        match = _SECTION_RE.match(raw.strip())
        if match and not raw[0].isspace():
            section, key = match.group(1).strip(), None
            continue
        if not raw[0].isspace():
            key_match = _KEY_RE.match(raw)
            key = key_match.group(1) if key_match else None
            value = key_match.group(2) if key_match else ""
            column = raw.index(value) if key_match and value else 0
        else:
            value, column = raw.strip(), len(raw) - len(raw.lstrip())
        group = _setup_cfg_group(section, key)
        if group is None or not value.strip():
            continue
        value = re.sub(r"\s+#.*$", "", value).strip()
        if value.startswith("file:"):
            for path in value[len("file:"):].split(","):
                if path.strip():
                    parsed.includes.append((number, "requirement", path.strip()))
            continue
        sub = parse_requirements(value, relpath)
        for req in sub.requirements:
            parsed.requirements.append(Requirement(req.name, number, column + req.column, group or None, req.text))
        for diag in sub.diagnostics:
            parsed.diagnostics.append(Diagnostic(relpath, diag.kind, diag.message.replace("line 1", f"line {number}"), number))
    return parsed


def _setup_cfg_group(section: str, key: str | None) -> str | None:
    """"" for the main dependencies, "extra:x" for an extra, None for anything else."""
    if key is None:
        return None
    if section == "options" and key == "install_requires":
        return ""
    if section == "options" and key == "tests_require":
        return "dev"
    if section == "options.extras_require":
        return f"extra:{key}"
    return None


# --- setup.py -------------------------------------------------------------------------------------

_SETUP_KEYWORDS = {"install_requires": None, "tests_require": "dev", "setup_requires": "build"}


def parse_setup_py(text: str, relpath: str) -> RequirementsFile:
    """Literal `install_requires`/`extras_require` of the `setup()` call. A syntax error is reported by
    the Python analysis of the same file, so it is not repeated here."""
    parsed = RequirementsFile([], [], [])
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return parsed
    lines = text.split("\n")
    assigned: dict[str, ast.expr] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            assigned[node.targets[0].id] = node.value
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name != "setup":
            continue
        for keyword in node.keywords:
            value = assigned.get(keyword.value.id, keyword.value) if isinstance(keyword.value, ast.Name) else keyword.value
            if keyword.arg in _SETUP_KEYWORDS:
                if _SETUP_KEYWORDS[keyword.arg] == "build":
                    continue
                parsed.requirements += _literal_requirements(value, lines, _SETUP_KEYWORDS[keyword.arg], assigned)
            elif keyword.arg == "extras_require" and isinstance(value, ast.Dict):
                for key, item in zip(value.keys, value.values):
                    extra = key.value if isinstance(key, ast.Constant) else "?"
                    if isinstance(item, ast.Name):
                        item = assigned.get(item.id, item)
                    parsed.requirements += _literal_requirements(item, lines, f"extra:{extra}", assigned)
    return parsed


def _literal_requirements(node: ast.expr, lines: list[str], group: str | None,
                          assigned: dict[str, ast.expr]) -> Iterator[Requirement]:
    if isinstance(node, ast.Name) and node.id in assigned:
        yield from _literal_requirements(assigned[node.id], lines, group, {})  # one level: no cycles
        return
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):  # `REQUIRES + ["x"]`
        yield from _literal_requirements(node.left, lines, group, assigned)
        yield from _literal_requirements(node.right, lines, group, assigned)
        return
    if not isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return
    for element in node.elts:
        if not (isinstance(element, ast.Constant) and isinstance(element.value, str)):
            continue
        name = requirement_name(element.value)
        if name is None:
            continue
        line_text = lines[element.lineno - 1] if element.lineno <= len(lines) else ""
        # +1 skips the opening quote: the column points at the project name, as in requirements files.
        yield Requirement(name, element.lineno, char_column(line_text, element.col_offset) + 1, group, element.value)
