"""Shell start scripts (`*.sh`, `entrypoint*`, `docker-entrypoint*`) and Makefiles, read without running
them: the commands they run go to the `command` text rules (Gunicorn, uWSGI, Waitress, the `flask` CLI:
rules/deployment.py), the `FLASK_*` variables they set to the `environment` rules, as for a Dockerfile.

Both readers keep every character where it was (what they leave out becomes spaces), so a word's offset
in the text they hand on is its offset in the file. A shell script's heredoc bodies are data, not
commands, and are left out; so are a Makefile's lines that are not recipes (tab-indented), after their
`FLASK_*` variables are read. A word that starts with a variable the file sets (`$(PYTHON) -m flask`,
`$VENV/bin/gunicorn`) is read with the variable's value, one level of nesting at a time.
"""
from __future__ import annotations

import bisect
import re

from ..model import Diagnostic
from ._base import FileHit, run_text_rules
from .commands import Command, Word, argv_commands, command_hits, split_words
from .deployment import EnvironmentVariable

_SHELL_ASSIGNMENT_RE = re.compile(
    r"^[ \t]*(?:(?:export|readonly|declare(?:[ \t]+-[A-Za-z]+)*)[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)=(\S*)", re.MULTILINE)
_MAKE_ASSIGNMENT_RE = re.compile(
    r"^[ \t]*(?:(?:export|override)[ \t]+)*([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*(?::{1,3}=|\?=|\+=|!=|=)[ \t]*(.*)$",
    re.MULTILINE)
# Make's `$(NAME)`, spelled `${NAME}` (as long) so the shell reader does not take it for `$(command)`.
_MAKE_REFERENCE_RE = re.compile(r"\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)")
# A `case` pattern at the start of a line (`web)`, `start|serve)`): a label, not a command.
_CASE_PATTERN_RE = re.compile(r"^[ \t]*\(?[^\s()|;&#]+(?:[ \t]*\|[ \t]*[^\s()|;&#]+)*\)", re.MULTILINE)
_HEREDOC_RE = re.compile(r"<<-?[ \t]*([\"']?)([A-Za-z_][A-Za-z0-9_]*)\1")
_VARIABLE_RE = re.compile(
    r"^\$(?:\(([A-Za-z_][A-Za-z0-9_.-]*)\)|\{([A-Za-z_][A-Za-z0-9_.-]*)\}|([A-Za-z_][A-Za-z0-9_]*))")
_MAX_EXPANSIONS = 3  # `$(FLASK)` -> `$(VENV)/bin/flask` -> `.venv/bin/flask`: deeper is not a start script
_EXPORTERS = frozenset({"export", "readonly", "declare", "local", "typeset"})


class _Positions:
    """Offsets in a file's text to 1-based (line, character column): a binary search over line starts."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]

    def __call__(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1


def _without_heredocs(text: str) -> str:
    """Heredoc bodies (`cat <<EOF ... EOF`) blanked: what a script writes to a file is not run."""
    pieces: list[str] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        pieces.append(line)
        i += 1
        heredoc = _HEREDOC_RE.search(line) if "<<" in line and "<<<" not in line else None
        if heredoc is None or line.lstrip().startswith("#"):
            continue
        delimiter = heredoc.group(2)
        while i < len(lines) and lines[i].strip() != delimiter:
            pieces.append(" " * len(lines[i]))
            i += 1
    return "\n".join(pieces)


def _expanded(words: list[Word], variables: dict[str, str]) -> list[Word]:
    """Words that start with a variable the file sets, read with its value (at the word's offset)."""
    result: list[Word] = []
    for word in words:
        text = word.text
        for _ in range(_MAX_EXPANSIONS):
            match = _VARIABLE_RE.match(text)
            name = match and next(g for g in match.groups() if g is not None)
            if not match or name not in variables:
                break
            text = variables[name] + text[match.end():]
        parts = text.split() if text != word.text else [text]
        result += [Word(part, word.offset) for part in parts]
    return result


def _commands(text: str, variables: dict[str, str]) -> tuple[list[Command], list[list[Word]]]:
    """The simple commands of a shell text, and their words (for the variables they set)."""
    simple = [_expanded(words, variables) for words in split_words(text)]
    return [command for words in simple for command in argv_commands(words)], simple


def _environment(simple: list[list[Word]], where: _Positions) -> list[FileHit]:
    """`FLASK_*` variables a command sets: `FLASK_APP=app flask run`, `export FLASK_DEBUG=1`."""
    hits: list[FileHit] = []
    for words in simple:
        exporting = bool(words) and words[0].text in _EXPORTERS
        for word in words[1:] if exporting else words:
            key, equals, value = word.text.partition("=")
            if not equals or not key.isidentifier():
                if exporting and word.text.startswith("-"):
                    continue  # `declare -x`
                break  # the program: what follows are its arguments
            if key.startswith("FLASK_"):
                line, column = where(word.offset)
                hits += run_text_rules("environment", EnvironmentVariable(key, value, line, column))
    return hits


def _hits(text: str, original: str, variables: dict[str, str]) -> list[FileHit]:
    text = _CASE_PATTERN_RE.sub(lambda m: " " * len(m.group(0)), text)
    where = _Positions(original)
    commands, simple = _commands(text, variables)
    hits = [FileHit(hit.code, *where(hit.offset), hit.args) for hit in command_hits(commands)]
    return hits + _environment(simple, where)


def analyze_shell_script(text: str, relpath: str) -> tuple[list[FileHit], list[Diagnostic]]:
    variables = {m.group(1): m.group(2).strip("\"'") for m in _SHELL_ASSIGNMENT_RE.finditer(text)}
    # A backslash-newline continues the command: as two spaces, the words around it stay apart.
    readable = _without_heredocs(text).replace("\\\n", "  ")
    return _hits(readable, text, variables), []


def analyze_makefile(text: str, relpath: str) -> tuple[list[FileHit], list[Diagnostic]]:
    """Recipe lines (a tab first; `@`, `-` and `+` prefixes) as shell commands, `$$` as the shell's `$`;
    the `FLASK_*` variables the Makefile itself sets (`export FLASK_APP = app`) as environment facts."""
    where = _Positions(text)
    variables: dict[str, str] = {}
    hits: list[FileHit] = []
    recipes = []
    offset = 0
    continued = False
    for line in text.split("\n"):
        if line.startswith("\t") or continued:
            # A recipe line: make strips the tab and the `@` (silent), `-` (ignore errors), `+` prefixes.
            prefix = 0 if continued else len(line) - len(line.lstrip("\t@-+ "))
            recipe = _MAKE_REFERENCE_RE.sub(r"${\1}", line[prefix:].replace("$$", " $"))
            recipes.append(" " * prefix + recipe)
        else:
            match = _MAKE_ASSIGNMENT_RE.match(line)
            if match:
                variables[match.group(1)] = match.group(2).strip()
                if match.group(1).startswith("FLASK_"):
                    line_no, column = where(offset + match.start(1))
                    hits += run_text_rules("environment", EnvironmentVariable(
                        match.group(1), match.group(2).strip(), line_no, column))
            recipes.append(" " * len(line))
        continued = line.endswith("\\")
        offset += len(line) + 1
    readable = "\n".join(recipes).replace("\\\n", "  ")
    return hits + _hits(readable, text, variables), []
