"""Reading the commands that start the application (Dockerfile CMD/ENTRYPOINT/RUN, Procfile, compose
`command:`, App Engine `entrypoint:`) without running them: split into simple commands and words the
way a POSIX shell would (quotes, backslashes, `&&`, `;`, `|`), skip wrappers (`exec`, `env`, `poetry run`,
`python -m`, ...), then recognise the program: Gunicorn, uWSGI, Waitress, mod_wsgi-express or the
`flask` CLI. Each hit carries an offset into the command text; callers map it to a line and column.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

GREEN_WORKERS = ("gevent", "eventlet", "geventwebsocket", "gevent_pywsgi", "gevent_wsgi")
DEPRECATED_ASGI_WORKERS = ("uvicorn.workers.UvicornWorker", "uvicorn.workers.UvicornH11Worker")
ASGI_WORKERS = ("uvicorn_worker.UvicornWorker", "uvicorn_worker.UvicornH11Worker")

_ASSIGNMENT_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_SEPARATORS = ("&&", "||", ";", "|", "&", "\n", "(", ")")
# Wrappers that run the command after them: (word, number of words they consume after themselves).
_WRAPPERS = {"exec": 0, "nohup": 0, "time": 0, "dumb-init": 0, "tini": 0, "ddtrace-run": 0,
             "opentelemetry-instrument": 0, "gosu": 1, "su-exec": 1, "chpst": 0}
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


def analyze_shell(text: str, shell: bool = True) -> list[CommandHit]:
    hits: list[CommandHit] = []
    for words in split_words(text, shell):
        hits.extend(analyze_argv(words))
    return hits


def analyze_argv(words: list[Word]) -> list[CommandHit]:
    """One simple command, as a list of words (exec form gives these directly)."""
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
            return [CommandHit(h.code, h.offset + delta, h.args) for h in analyze_shell(inner.text)]
        elif _PYTHON_RE.match(base):
            j = i + 1
            while j < len(words) and words[j].text.startswith("-") and words[j].text != "-m":
                j += 1
            if j + 1 < len(words) and words[j].text == "-m":
                return _program(words[j + 1].text, words[j + 1], words[j + 2:])
            return []
        else:
            return _program(base, words[i], words[i + 1:])
    return []


def _program(name: str, word: Word, args: list[Word]) -> list[CommandHit]:
    if name == "gunicorn":
        return _gunicorn(word, args)
    if name in ("uwsgi", "waitress-serve", "mod_wsgi-express"):
        target = _option_value(args, ("--module", "-w", "--wsgi-file", "--wsgi", "--mount", "--call")) or _last_positional(args)
        return [CommandHit("FMA720", word.offset, _server_args(name, word.text, target))]
    if name == "flask":
        return _flask(word, args)
    return []


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


def asgi_target(target: str) -> tuple[str, str]:
    """(gunicorn target, uvicorn arguments) for a WSGI target: `pkg:create_app()` is a factory call."""
    if not target:
        return "<module>:app", "<module>:app"
    module, _, attr = target.partition(":")
    if attr.endswith(")") and "(" in attr:
        factory = attr.partition("(")[0]
        return target, f"--factory {module}:{factory}"
    return target if attr else f"{module}:application", f"{module}:{attr or 'application'}"


def _server_args(server: str, command: str, target: str) -> dict[str, str]:
    gunicorn_target, uvicorn_target = asgi_target(target)
    return {"server": server, "command": command, "target": target or "the app",
            "gunicorn_target": gunicorn_target, "uvicorn_target": uvicorn_target}


def _gunicorn(word: Word, args: list[Word]) -> list[CommandHit]:
    hits: list[CommandHit] = []
    worker = ""
    for i, arg in enumerate(args):
        text = arg.text
        value_word: Word | None = None
        if text in ("-k", "--worker-class") and i + 1 < len(args):
            value_word = args[i + 1]
            worker = value_word.text
        elif text.startswith("--worker-class="):
            worker = text.partition("=")[2]
            value_word = Word(worker, arg.offset + len("--worker-class="))
        elif text.startswith("-k") and len(text) > 2:
            worker = text[2:]
            value_word = Word(worker, arg.offset + 2)
        if value_word is not None:
            hits.extend(worker_class_hits(worker, value_word.offset))
        if text == "--threads" or text.startswith("--threads="):
            hits.append(CommandHit("FMA724", arg.offset, {"setting": "--threads"}))
    if not any(worker.startswith(w) for w in ASGI_WORKERS + DEPRECATED_ASGI_WORKERS):
        target = _last_positional(args)
        hits.insert(0, CommandHit("FMA720", word.offset, _server_args("gunicorn", word.text, target)))
    return hits


def worker_class_hits(worker: str, offset: int) -> list[CommandHit]:
    """gevent/eventlet workers are a redesign; `uvicorn.workers` is deprecated (uvicorn 0.30)."""
    lowered = worker.lower()
    if any(lowered.startswith(w) or f".{w}" in lowered for w in GREEN_WORKERS):
        return [CommandHit("FMA723", offset, {"what": f"worker class `{worker}`"})]
    if worker in DEPRECATED_ASGI_WORKERS:
        return [CommandHit("FMA726", offset, {"worker": worker})]
    return []


def _flask(word: Word, args: list[Word]) -> list[CommandHit]:
    app = _option_value(args, ("--app", "-A"))
    sub = ""
    skip = False
    for arg in args:
        if skip:
            skip = False
            continue
        if arg.text in ("--app", "-A", "-e", "--env-file"):
            skip = True
            continue
        if arg.text.startswith("-"):
            continue
        sub = arg.text
        break
    rest = {a.text for a in args}
    if sub == "run":
        dev = bool(rest & {"--debug", "--reload"})
        counterpart = ("`fastapi dev` (or `uvicorn <module>:app --reload`)" if dev
                       else "`fastapi run` (or `uvicorn <module>:app --host 0.0.0.0`)")
    elif sub == "db":
        counterpart = "`alembic` directly (`flask db upgrade` -> `alembic upgrade head`)"
    elif sub in ("shell", "routes"):
        counterpart = "no equivalent: `python -i` with your own imports; `app.routes` lists routes"
    else:
        counterpart = "a Typer or click command of your own (`python -m <package>.cli ...`)"
    args_ = {"subcommand": f"flask {sub}".strip(), "counterpart": counterpart}
    if app:
        args_["subcommand"] += f" (app `{app}`)"
    return [CommandHit("FMA721", word.offset, args_)]
