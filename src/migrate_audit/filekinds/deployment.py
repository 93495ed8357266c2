"""Deployment files: how the app is started, and where a WSGI assumption hides.

Dockerfile (CMD/ENTRYPOINT/RUN in shell and exec form, ENV; line continuations with the file's escape
character, comment lines inside continuations, RUN heredocs), Procfile, docker-compose `command:` /
`entrypoint:` / environment (a line-based reader for those keys only: no YAML library needed), Gunicorn
configuration (`worker_class`, `threads`, `wsgi_app`; Python read with `ast`, never run), uWSGI ini,
App Engine app.yaml, `.flaskenv`/`.env`, and WSGI entry modules (`wsgi.py`, `*.wsgi`).

Each reader turns its file into facts (commands, `FLASK_*` variables, server settings, entry points) and
hands them to the text rules registered for their kind (rules/deployment.py decides the findings).
"""
from __future__ import annotations

import ast
import json
import posixpath
import re
from dataclasses import dataclass

from ..model import Diagnostic
from ..index.resolve import module_name_for
from ._base import FileHit, char_column, run_text_rules
from .commands import Command, CommandHit, Word, argv_commands, command_hits, shell_commands


class Joined:
    """Physical pieces joined into one logical text, remembering where each character came from."""

    def __init__(self) -> None:
        self.text = ""
        self.segments: list[tuple[int, int, int]] = []  # (offset in text, line, 0-based column)

    def add(self, piece: str, line: int, column: int = 0) -> None:
        self.segments.append((len(self.text), line, column))
        self.text += piece

    def position(self, offset: int) -> tuple[int, int]:
        line, seg_offset, column = self.segments[0][1], 0, self.segments[0][2]
        for start, seg_line, seg_column in self.segments:
            if start <= offset:
                line, seg_offset, column = seg_line, start, seg_column
        return line, offset - seg_offset + column + 1


def _to_file_hits(commands: list[Command], joined: Joined, base: int = 0) -> list[FileHit]:
    """The command rules' hits on `commands`, placed in the file through `joined`."""
    result = []
    hits: list[CommandHit] = command_hits(commands)
    for hit in hits:
        line, column = joined.position(base + hit.offset)
        result.append(FileHit(hit.code, line, column, hit.args))
    return result


def _single(line_text: str, line: int, column: int = 0) -> Joined:
    joined = Joined()
    joined.add(line_text, line, column)
    return joined


# --- environment variables ------------------------------------------------------------------------

@dataclass(frozen=True)
class EnvironmentVariable:
    """A `FLASK_*` variable set in a .flaskenv/.env, a Dockerfile `ENV` or a compose environment (the
    `environment` kind of text rule)."""

    key: str
    value: str
    line: int
    column: int
    flaskenv: bool = False  # set in `.flaskenv`, which only the `flask` command loads


def _env_hit(key: str, value: str, line: int, column: int, flaskenv: bool = False) -> list[FileHit]:
    return run_text_rules("environment", EnvironmentVariable(key, value, line, column, flaskenv))


_DOTENV_RE = re.compile(r"^(\s*(?:export\s+)?)(FLASK_[A-Za-z0-9_]+)\s*=\s*(.*)$")


def analyze_flaskenv(text: str, relpath: str) -> tuple[list[FileHit], list[Diagnostic]]:
    hits = []
    flaskenv = posixpath.basename(relpath) == ".flaskenv"
    for number, line in enumerate(text.split("\n"), 1):
        match = _DOTENV_RE.match(line)
        if match:
            hits += _env_hit(match.group(2), match.group(3), number, len(match.group(1)) + 1, flaskenv)
    return hits, []


# --- Dockerfile -----------------------------------------------------------------------------------

_DIRECTIVE_RE = re.compile(r"^#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$")
_INSTRUCTION_RE = re.compile(r"^\s*([A-Za-z]+)(?:\s+|$)")
_HEREDOC_RE = re.compile(r"<<-?\s*([\"']?)([A-Za-z_][A-Za-z0-9_]*)\1")
_JSON_STRING_RE = re.compile(r'"((?:[^"\\]|\\.)*)"')
_ENV_PAIR_RE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=(\"(?:[^\"\\]|\\.)*\"|'[^']*'|(?:[^\s\\]|\\.)*)")


def analyze_dockerfile(text: str, relpath: str) -> tuple[list[FileHit], list[Diagnostic]]:
    lines = text.split("\n")
    escape = "\\"
    for line in lines:  # parser directives come first, before any instruction or other comment
        match = _DIRECTIVE_RE.match(line)
        if not match:
            break
        if match.group(1).lower() == "escape" and match.group(2) in ("\\", "`"):
            escape = match.group(2)
    hits: list[FileHit] = []
    diagnostics: list[Diagnostic] = []
    i = 0
    while i < len(lines):
        if not lines[i].strip() or lines[i].lstrip().startswith("#"):
            i += 1
            continue
        joined = Joined()
        start = i + 1
        while True:
            current = lines[i].rstrip()
            if not current.endswith(escape):
                joined.add(lines[i], i + 1)
                i += 1
                break
            joined.add(current[:-1] + " ", i + 1)
            i += 1
            while i < len(lines) and (not lines[i].strip() or lines[i].lstrip().startswith("#")):
                if not lines[i].strip() and i < len(lines) - 1:  # not the file's final newline
                    diagnostics.append(Diagnostic(relpath, "syntax-error", f"line {i + 1}: empty continuation line "
                                                  f"inside the instruction that starts on line {start}; Docker "
                                                  "warns about these and will reject them", i + 1))
                i += 1
            if i >= len(lines):
                diagnostics.append(Diagnostic(relpath, "syntax-error", f"line {start}: the instruction ends with a "
                                              "line continuation at the end of the file", start))
                break
        instruction = _INSTRUCTION_RE.match(joined.text)
        if not instruction:
            diagnostics.append(Diagnostic(relpath, "syntax-error", f"line {start}: not a Dockerfile instruction", start))
            continue
        keyword = instruction.group(1).upper()
        body_offset = instruction.end()
        if keyword == "RUN":
            heredoc = _HEREDOC_RE.search(joined.text, body_offset)
            if heredoc:
                i = _read_heredoc(lines, i, heredoc.group(2), joined, relpath, start, diagnostics)
        if keyword in ("CMD", "ENTRYPOINT", "RUN"):
            hits += _command_hits(joined, body_offset)
        elif keyword == "ENV":
            hits += _docker_env(joined, body_offset)
    return hits, diagnostics


def _read_heredoc(lines: list[str], i: int, delimiter: str, joined: Joined, relpath: str, start: int,
                  diagnostics: list[Diagnostic]) -> int:
    while i < len(lines):
        if lines[i].strip() == delimiter:
            return i + 1
        joined.add("\n" + lines[i], i + 1, -1)  # -1: the added newline is not in the line
        i += 1
    diagnostics.append(Diagnostic(relpath, "syntax-error", f"line {start}: heredoc `{delimiter}` is never closed", start))
    return i


def _command_hits(joined: Joined, body_offset: int) -> list[FileHit]:
    body = joined.text[body_offset:]
    stripped = body.strip()
    if stripped.startswith("[") and "\n" not in stripped:
        try:
            values = json.loads(stripped)
        except ValueError:
            values = None  # Docker runs an invalid JSON array as a shell command, and so do we
        if isinstance(values, list) and all(isinstance(v, str) for v in values):
            words = [Word(json.loads(m.group(0)), m.start() + 1) for m in _JSON_STRING_RE.finditer(body)]
            return _to_file_hits(argv_commands(words), joined, body_offset)
    return _to_file_hits(shell_commands(body), joined, body_offset)


def _docker_env(joined: Joined, body_offset: int) -> list[FileHit]:
    body = joined.text[body_offset:]
    hits = []
    pairs = list(_ENV_PAIR_RE.finditer(body))
    if pairs:
        for match in pairs:
            if match.group(1).startswith("FLASK_"):
                line, column = joined.position(body_offset + match.start(1))
                hits += _env_hit(match.group(1), match.group(2), line, column)
        return hits
    key, _, value = body.strip().partition(" ")  # legacy `ENV KEY value`
    if key.startswith("FLASK_"):
        line, column = joined.position(body_offset + body.index(key))
        hits += _env_hit(key, value, line, column)
    return hits


# --- Procfile -------------------------------------------------------------------------------------

_PROCESS_RE = re.compile(r"^([A-Za-z0-9_-]+)\s*:\s*")


def analyze_procfile(text: str, relpath: str) -> tuple[list[FileHit], list[Diagnostic]]:
    hits: list[FileHit] = []
    diagnostics = []
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _PROCESS_RE.match(line)
        if not match:
            diagnostics.append(Diagnostic(relpath, "syntax-error", f"line {number}: not a `process: command` line", number))
            continue
        hits += _to_file_hits(shell_commands(line[match.end():]), _single(line, number), match.end())
    return hits, diagnostics


# --- docker-compose -------------------------------------------------------------------------------

_COMPOSE_KEY_RE = re.compile(r"^(\s*)(?:-\s+)?(command|entrypoint)\s*:(?:\s+|$)(.*)$")
_COMPOSE_ENV_RE = re.compile(r"^(\s*(?:-\s*)?[\"']?)(FLASK_[A-Za-z0-9_]+)[\"']?\s*[:=]\s*(.*)$")
_FLOW_ITEM_RE = re.compile(r"\"((?:[^\"\\]|\\.)*)\"|'((?:[^']|'')*)'|([^,\[\]\s][^,\[\]]*?)(?=\s*[,\]])")


def _yaml_value(value: str) -> tuple[str, int]:
    """A one-line YAML scalar without its quotes and trailing comment, and its offset in `value`."""
    if value[:1] in ("'", '"'):
        quote = value[0]
        end = value.find(quote, 1)
        while quote == '"' and end > 0 and value[end - 1] == "\\":
            end = value.find(quote, end + 1)
        return (value[1:end] if end > 0 else value[1:]), 1
    return re.sub(r"\s+#.*$", "", value).rstrip(), 0


def analyze_compose(text: str, relpath: str) -> tuple[list[FileHit], list[Diagnostic]]:
    lines = text.split("\n")
    hits: list[FileHit] = []
    for i, line in enumerate(lines):
        env = _COMPOSE_ENV_RE.match(line)
        if env:
            hits += _env_hit(env.group(2), env.group(3), i + 1, len(env.group(1)) + 1)
            continue
        match = _COMPOSE_KEY_RE.match(line)
        if not match:
            continue
        indent, raw = len(match.group(1)), match.group(3)
        value_col = match.start(3)
        value = re.sub(r"\s+#.*$", "", raw).rstrip() if raw[:1] not in ("'", '"') else raw
        if value in ("", ">", "|", ">-", "|-", ">+", "|+"):
            hits += _compose_block(lines, i, indent, folded=value.startswith(">") or value == "")
        elif value.startswith("["):
            words = [Word(next(g for g in m.groups() if g is not None), m.start() + (1 if m.group(3) is None else 0))
                     for m in _FLOW_ITEM_RE.finditer(value)]
            hits += _to_file_hits(argv_commands(words), _single(line, i + 1), value_col)
        else:
            scalar, offset = _yaml_value(value)
            hits += _to_file_hits(shell_commands(scalar, shell=False), _single(line, i + 1), value_col + offset)
    return hits, []


def _compose_block(lines: list[str], i: int, indent: int, folded: bool) -> list[FileHit]:
    """The lines under `command:`: a block sequence (`- gunicorn`) or a block scalar."""
    items: list[tuple[int, str]] = []
    j = i + 1
    while j < len(lines) and (not lines[j].strip() or len(lines[j]) - len(lines[j].lstrip()) > indent):
        if lines[j].strip() and not lines[j].lstrip().startswith("#"):
            items.append((j, lines[j]))
        j += 1
    if not items:
        return []
    joined = Joined()
    if items[0][1].lstrip().startswith("- "):
        words = []
        for number, line in items:
            stripped = line.lstrip()
            if not stripped.startswith("- "):
                continue
            column = len(line) - len(stripped) + 2
            scalar, offset = _yaml_value(stripped[2:].strip())
            joined.add(scalar + " ", number + 1, column + offset)
            words.append(Word(scalar, joined.segments[-1][0]))
        return _to_file_hits(argv_commands(words), joined)
    for number, line in items:
        column = len(line) - len(line.lstrip())
        joined.add(line.strip() + (" " if folded else "\n"), number + 1, column)
    return _to_file_hits(shell_commands(joined.text, shell=not folded), joined)


# --- app.yaml, uwsgi.ini ------------------------------------------------------------------------------

@dataclass(frozen=True)
class AppEngineRuntime:
    """An App Engine app.yaml's `runtime:` when the file sets no `entrypoint:` (the `appyaml` kind)."""

    runtime: str
    line: int


def analyze_appyaml(text: str, relpath: str) -> tuple[list[FileHit], list[Diagnostic]]:
    runtime: tuple[int, str] | None = None
    for number, line in enumerate(text.split("\n"), 1):
        match = re.match(r"^(entrypoint|runtime)\s*:\s*(.*)$", line)
        if not match:
            continue
        if match.group(1) == "runtime":
            runtime = (number, _yaml_value(match.group(2))[0])
            continue
        scalar, offset = _yaml_value(match.group(2))
        return _to_file_hits(shell_commands(scalar), _single(line, number), match.start(2) + offset), []
    if runtime is None:
        return [], []
    return run_text_rules("appyaml", AppEngineRuntime(runtime[1], runtime[0])), []


_INI_KEY_RE = re.compile(r"^(\s*)([A-Za-z0-9_-]+)\s*=\s*(.*)$")


@dataclass(frozen=True)
class UwsgiOption:
    """One option of a uWSGI ini file's `[uwsgi]` section (the `uwsgi` kind): its key with `_` spelled
    `-`, as uWSGI reads both."""

    key: str
    value: str
    line: int
    column: int


def analyze_uwsgi(text: str, relpath: str) -> tuple[list[FileHit], list[Diagnostic]]:
    hits = []
    section = ""
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped[1:-1].strip()
            continue
        match = _INI_KEY_RE.match(line)
        if section != "uwsgi" or not match:
            continue
        key, value = match.group(2).replace("_", "-"), match.group(3).strip()
        hits += run_text_rules("uwsgi", UwsgiOption(key, value, number, len(match.group(1)) + 1))
    return hits, []


# --- Python read statically: Gunicorn configuration, WSGI entry modules -----------------------------

@dataclass(frozen=True)
class GunicornConfig:
    """A Gunicorn configuration file's module-level `name = value` assignments (the `gunicorn` kind), read
    with `ast`, never run."""

    assignments: list[tuple[ast.Name, ast.expr]]
    lines: list[str]

    @property
    def wsgi_app(self) -> str:
        """The `wsgi_app = "module:app"` string, or ""."""
        wsgi_app = ""
        for target, value in self.assignments:
            if target.id == "wsgi_app" and isinstance(value, ast.Constant) and isinstance(value.value, str):
                wsgi_app = value.value
        return wsgi_app

    def column(self, node: ast.expr) -> int:
        return char_column(self.lines[node.lineno - 1], node.col_offset)


def analyze_gunicorn_conf(text: str, relpath: str) -> tuple[list[FileHit], list[Diagnostic]]:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError) as exc:
        if relpath.endswith(".py"):
            return [], []  # the Python analysis of the same file reports it
        line = getattr(exc, "lineno", 0) or 0
        return [], [Diagnostic(relpath, "syntax-error", f"Gunicorn configuration is not valid Python: {exc}", line)]
    assignments = [(node.targets[0], node.value) for node in tree.body
                   if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)]
    return run_text_rules("gunicorn", GunicornConfig(assignments, text.split("\n"))), []


@dataclass(frozen=True)
class WsgiModule:
    """A WSGI entry module (`wsgi.py`, `*.wsgi`) of a Flask project (the `wsgi` kind): its module-level
    `name = callee(...)` assignments and `from module import name` imports, with their positions."""

    module: str  # the import name servers use (`app.wsgi`), or the file name for `*.wsgi`
    path: str
    # (bound name, called function's name, line, column)
    assignments: list[tuple[str, str, int, int]]
    # (bound name, module imported from, line, column)
    imports: list[tuple[str, str | None, int, int]]


def analyze_wsgi_entry(text: str, relpath: str, uses_flask: bool = True) -> tuple[list[FileHit], list[Diagnostic]]:
    """Module-level assignments and imports of an entry module, for the `wsgi` rules."""
    if not uses_flask:
        return [], []
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return [], []  # reported by the Python analysis
    if any(isinstance(n, (ast.Import, ast.ImportFrom)) and "django" in ast.dump(n) for n in tree.body):
        return [], []  # Django's wsgi.py is not a Flask entry point
    lines = text.split("\n")
    module = module_name_for(relpath) if relpath.endswith(".py") else relpath.rsplit("/", 1)[-1]
    assignments: list[tuple[str, str, int, int]] = []
    imports: list[tuple[str, str | None, int, int]] = []
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
                and isinstance(node.value, ast.Call):
            func = node.value.func
            callee = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            column = char_column(lines[node.lineno - 1], node.targets[0].col_offset)
            assignments.append((node.targets[0].id, callee, node.lineno, column))
        elif isinstance(node, ast.ImportFrom):
            column = char_column(lines[node.lineno - 1], node.col_offset)
            imports += [(alias.asname or alias.name, node.module, node.lineno, column) for alias in node.names]
    return run_text_rules("wsgi", WsgiModule(module, relpath, assignments, imports)), []
