"""Reading the commands that start the application (Dockerfile CMD/ENTRYPOINT/RUN, Procfile, compose
`command:`, App Engine `entrypoint:`) without running them: split into simple commands and words the
way a POSIX shell would (quotes, backslashes, `&&`, `;`, `|`), skip wrappers (`exec`, `env`, `poetry run`,
`python -m`, `sh -c`, ...), and hand each program with its arguments to the `command` text rules
(rules/deployment.py recognises Gunicorn, uWSGI, Waitress, mod_wsgi-express and the `flask` CLI). Each
word carries an offset into the command text; callers map hits to a line and column.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from ._base import run_text_rules

_ASSIGNMENT_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_SEPARATORS = ("&&", "||", ";", "|", "&", "\n", "(", ")")
# Wrappers that run the command after them: (word, number of words they consume after themselves).
_WRAPPERS = {"exec": 0, "nohup": 0, "time": 0, "dumb-init": 0, "tini": 0, "ddtrace-run": 0,
             "opentelemetry-instrument": 0, "gosu": 1, "su-exec": 1, "chpst": 0,
             # Shell keywords before a command: `if flask db upgrade; then exec gunicorn app:app; fi`.
             "if": 0, "then": 0, "else": 0, "elif": 0, "do": 0, "while": 0, "until": 0, "!": 0, "{": 0}
_RUNNERS = {"poetry": "run", "pipenv": "run", "uv": "run", "pdm": "run", "hatch": "run", "rye": "run",
            "newrelic-admin": "run-program", "pipx": "run"}
_PYTHON_RE = re.compile(r"^python(?:\d+(?:\.\d+)?)?$")
_GUNICORN_VALUE_OPTIONS = {"-w", "--workers", "-b", "--bind", "-c", "--config", "-t", "--timeout",
                           "--log-level", "--access-logfile", "--error-logfile", "--log-file", "-u", "--user",
                           "-g", "--group", "--max-requests", "--max-requests-jitter", "--keep-alive",
                           "--graceful-timeout", "--chdir", "-n", "--name", "-p", "--pid", "-e", "--env",
                           "--worker-connections", "--forwarded-allow-ips", "--access-logformat",
                           "--log-config", "--statsd-host", "--backlog", "--limit-request-line",
                           "--worker-tmp-dir", "--umask", "--certfile", "--keyfile", "--paste", "--threads",
                           "-k", "--worker-class", "--capture-output-level"}


@dataclass(frozen=True)
class Word:
    text: str
    offset: int  # where the word starts in the command text


@dataclass(frozen=True)
class CommandHit:
    code: str
    offset: int
    args: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Command:
    """One simple command after its wrappers (the `command` kind of text rule): the program's name (the
    word's base name, or the module after `python -m`), its word, and its arguments."""

    program: str
    word: Word
    args: list[Word]

    def option_value(self, options: tuple[str, ...]) -> str:
        return _option_value(self.args, options)

    def last_positional(self) -> str:
        """The last positional argument, preferring one that looks like `module:app` (a WSGI target)."""
        return _last_positional(self.args)


def split_words(text: str, shell: bool = True) -> list[list[Word]]:
    """Simple commands of a shell command line, each a list of words with their offsets.

    Quotes are removed from the words (`"app:create_app()"` -> `app:create_app()`) and the offset is
    that of the word's first character, quote included. With `shell=False` (compose's `command:`
    string, split like shlex does) operators are ordinary characters.
    """
    separators = _SEPARATORS if shell else ("\n",)
    stops = " \t\r\n;&|()" if shell else " \t\r\n"
    commands: list[list[Word]] = [[]]
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in " \t\r":
            i += 1
            continue
        if ch == "#" and (i == 0 or text[i - 1] in " \t\n;&|"):
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        sep = next((s for s in separators if text.startswith(s, i)), None)
        if sep:
            if commands[-1]:
                commands.append([])
            i += len(sep)
            continue
        start, word = i, []
        while i < n and text[i] not in stops:
            c = text[i]
            if c == "\\" and i + 1 < n:
                word.append(text[i + 1])
                i += 2
            elif c in "'\"":
                end = i + 1
                while end < n and text[end] != c:
                    end += 2 if c == '"' and text[end] == "\\" else 1
                word.append(text[i + 1:end])
                i = end + 1
            else:
                word.append(c)
                i += 1
        commands[-1].append(Word("".join(word), start))
    return [c for c in commands if c]


def shell_commands(text: str, shell: bool = True) -> list[Command]:
    commands: list[Command] = []
    for words in split_words(text, shell):
        commands.extend(argv_commands(words))
    return commands


def argv_commands(words: list[Word]) -> list[Command]:
    """The command that one simple command runs, as a list of words (exec form gives these directly):
    none, one, or those of a `sh -c '...'` script."""
    i = 0
    while i < len(words):
        word = words[i].text
        base = os.path.basename(word)
        if _ASSIGNMENT_RE.match(word):
            i += 1
        elif base == "env":
            i += 1
            while i < len(words) and (words[i].text.startswith("-") or _ASSIGNMENT_RE.match(words[i].text)):
                i += 1
        elif base in _WRAPPERS:
            i += 1 + _WRAPPERS[base]
            if i < len(words) and words[i].text == "--":
                i += 1
        elif base in _RUNNERS and i + 1 < len(words) and words[i + 1].text == _RUNNERS[base]:
            i += 2
        elif base in ("sh", "bash", "ash", "dash") and i + 2 < len(words) and words[i + 1].text in ("-c", "-ec", "-ex", "-xc"):
            inner = words[i + 2]
            delta = inner.offset + 1  # skip the opening quote
            return [_shifted(command, delta) for command in shell_commands(inner.text)]
        elif _PYTHON_RE.match(base):
            j = i + 1
            while j < len(words) and words[j].text.startswith("-") and words[j].text != "-m":
                j += 1
            if j + 1 < len(words) and words[j].text == "-m":
                return [Command(words[j + 1].text, words[j + 1], words[j + 2:])]
            return []
        else:
            return [Command(base, words[i], words[i + 1:])]
    return []


def _shifted(command: Command, delta: int) -> Command:
    def shift(word: Word) -> Word:
        return Word(word.text, word.offset + delta)

    return Command(command.program, shift(command.word), [shift(arg) for arg in command.args])


def command_hits(commands: list[Command]) -> list[CommandHit]:
    return [hit for command in commands for hit in run_text_rules("command", command)]


def _option_value(args: list[Word], options: tuple[str, ...]) -> str:
    for i, arg in enumerate(args):
        for option in options:
            if arg.text == option and i + 1 < len(args):
                return args[i + 1].text
            if option.startswith("--") and arg.text.startswith(option + "="):
                return arg.text[len(option) + 1:]
    return ""


def _last_positional(args: list[Word]) -> str:
    positionals = []
    skip = False
    for arg in args:
        if skip:
            skip = False
            continue
        if arg.text.startswith("-"):
            skip = "=" not in arg.text and arg.text in _GUNICORN_VALUE_OPTIONS
            continue
        positionals.append(arg.text)
    with_colon = [p for p in positionals if ":" in p and not p.startswith((":", "0.0.0.0", "127."))]
    return (with_colon or positionals or [""])[-1]
