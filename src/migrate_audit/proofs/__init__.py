"""Proven advice: each rule's Flask "before" and FastAPI "after" as complete, runnable app modules.

A proof is one folder in `cases/`, with real files that linters and formatters read:

    cases/<name>/case.toml        the rules it proves, its title and notes, and what is observed
    cases/<name>/flask/app.py     the idiom the rules flag, and the files the app needs beside it
    cases/<name>/fastapi/app.py   the port we advise
    cases/<name>/naive/...        optional: the port a hurried developer writes, kept to show what the
                                  rule saves you from; only what differs from fastapi/, laid over it
    cases/<name>/probe.py         optional: helpers the `calls` use, not part of the advice, run in the
                                  module of each side...
    cases/<name>/<side>_probe.py  ...unless the side has its own (a naive side without one uses the
                                  FastAPI side's)
    cases/<name>/measured.json    what the harness last measured

What is observed is either HTTP requests (sent through Flask's `test_client` and FastAPI's
`TestClient`) or `calls`: one Python expression per side, evaluated in the imported module (after the
side's optional probe ran there), for behaviour that is not HTTP (config, CLI, signals, tasks).

The harness (tools/proof_harness.py, a developer tool outside the package) runs a proof and records
`measured.json`. This module only reads the cases and those records, so `explain` and the HTML report
can show the proven pair and the measured difference without Flask or FastAPI installed, and cannot
drift from what the tests ran. The product never scans or imports the case files.
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10
    import tomli as tomllib

SIDES = ("flask", "fastapi", "naive")
SIDE_LABELS = {"flask": "Flask (before)", "fastapi": "FastAPI (after)", "naive": "FastAPI, naive port"}
# What a request can be compared on: the status, one header, or the body (JSON as parsed values, JSON
# with its key order, or text).
ASPECTS = ("status", "body", "json", "json-order", "text")
_REQUEST_KEYS = {"label", "method", "path", "query", "json", "form", "files", "headers", "cookies", "content",
                 "follow_redirects", "compare", "expect", "why", "session"}
_CALL_KEYS = {"label", "flask", "fastapi", "naive", "expect", "why"}
# What case.toml may say about a side; its app and files are the side's folder.
_SIDE_KEYS = {"app", "label"}
_TOP_KEYS = {"rules", "title", "not_executed", "note", "env", "flask", "fastapi", "naive", "requests", "calls"}


CASE_FILE = "case.toml"
MEASURED_FILE = "measured.json"
SHARED_PROBE = "probe.py"
_PROBE_FILES = {f"{side}_probe.py": side for side in SIDES}
# Left behind by a tool that imported or compiled a case file: never part of a case.
_IGNORED = ("__pycache__", ".pyc")


class ProofError(ValueError):
    """A case folder that does not describe a proof the harness can run."""


@dataclass(frozen=True)
class Side:
    code: str
    files: dict[str, str] = field(default_factory=dict)  # path relative to the app folder -> text
    app: str = "app"  # the module attribute requests are sent to
    # Helpers the `calls` use to observe non-HTTP behaviour (a CLI run, a websocket session, a task),
    # run in the module's namespace after it is imported. Not part of the advice.
    probe: str = ""
    label: str = ""  # how readers see this side; SIDE_LABELS by default


@dataclass(frozen=True)
class Request:
    label: str
    method: str
    path: str
    compare: tuple[str, ...]
    expect: str  # "same": the after behaves like the before; "differs": a documented, accepted difference
    why: str
    options: dict[str, Any]  # query, json, form, files, headers, cookies, content, follow_redirects


@dataclass(frozen=True)
class Call:
    label: str
    expressions: dict[str, str]  # side -> a Python expression evaluated in that side's module
    expect: str
    why: str


@dataclass(frozen=True)
class Proof:
    name: str
    rules: tuple[str, ...]
    title: str
    sides: dict[str, Side]
    requests: tuple[Request, ...]
    calls: tuple[Call, ...]
    not_executed: str  # what of the advice the harness cannot run, and why
    note: str
    env: dict[str, str] = field(default_factory=dict)  # environment variables set while both sides run

    @property
    def checks(self) -> tuple[Request | Call, ...]:
        return (*self.requests, *self.calls)

    def sources(self, side: str) -> list[tuple[str, str]]:
        """(file name, text) of one side: `app.py` first, then its other files."""
        chosen = self.sides[side]
        return [("app.py", chosen.code.strip("\n") + "\n"),
                *((path, text.strip("\n") + "\n") for path, text in sorted(chosen.files.items()))]


def _require(condition: bool, name: str, message: str) -> None:
    if not condition:
        raise ProofError(f"proof {name}: {message}")


def _side(name: str, key: str, table: Any, files: dict[str, str], probe: str) -> Side:
    _require(isinstance(table, dict), name, f"[{key}] in {CASE_FILE} must be a table")
    _require(not set(table) - _SIDE_KEYS, name, f"[{key}] has unknown keys {sorted(set(table) - _SIDE_KEYS)} "
             f"(the app and its files live in the {key}/ folder)")
    _require("app.py" in files, name, f"{key}/app.py is missing: it is the app module the harness imports")
    others = {path: text for path, text in files.items() if path != "app.py"}
    return Side(code=files["app.py"], files=others, app=table.get("app", "app"), probe=probe,
                label=table.get("label") or SIDE_LABELS[key])


def _expectation(name: str, table: dict[str, Any]) -> tuple[str, str]:
    expect = table.get("expect", "same")
    _require(expect in ("same", "differs"), name, f"expect must be 'same' or 'differs', not {expect!r}")
    why = table.get("why", "")
    _require(expect == "same" or bool(why), name, "expect = 'differs' needs a `why` saying what differs and why")
    return expect, why


def _request(name: str, table: dict[str, Any]) -> Request:
    _require(not set(table) - _REQUEST_KEYS, name, f"a request has unknown keys {sorted(set(table) - _REQUEST_KEYS)}")
    method = str(table.get("method", "GET")).upper()
    path = table.get("path")
    _require(isinstance(path, str) and path.startswith("/"), name, "every request needs a `path` starting with /")
    compare = tuple(table.get("compare", ("status", "header:content-type", "body")))
    for aspect in compare:
        _require(aspect in ASPECTS or (aspect.startswith("header:") and len(aspect) > 7), name,
                 f"cannot compare on {aspect!r}; use {', '.join(ASPECTS)} or header:NAME")
    expect, why = _expectation(name, table)
    options = {k: v for k, v in table.items() if k not in ("label", "method", "path", "compare", "expect", "why")}
    return Request(label=table.get("label") or f"{method} {path}", method=method, path=path, compare=compare,
                   expect=expect, why=why, options=options)


def _call(name: str, table: dict[str, Any], sides: dict[str, Side]) -> Call:
    _require(not set(table) - _CALL_KEYS, name, f"a call has unknown keys {sorted(set(table) - _CALL_KEYS)}")
    expressions = {side: table[side] for side in SIDES if side in table}
    _require(set(expressions) == set(sides), name,
             f"call {table.get('label', '')!r} needs one expression per side ({', '.join(sides)})")
    expect, why = _expectation(name, table)
    return Call(label=table.get("label", ""), expressions=expressions, expect=expect, why=why)


def parse(name: str, text: str, files: dict[str, dict[str, str]], probes: dict[str, str] | None = None) -> Proof:
    """A proof from the text of its case.toml, each side's files (path relative to the side's folder ->
    text) and each side's probe; raise ProofError naming what is wrong."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProofError(f"proof {name}: {CASE_FILE} is not valid TOML: {exc}") from None
    _require(not set(data) - _TOP_KEYS, name, f"unknown keys {sorted(set(data) - _TOP_KEYS)}")
    rules = data.get("rules")
    _require(isinstance(rules, list) and bool(rules) and all(isinstance(r, str) for r in rules), name,
             "`rules` lists the codes this case proves")
    _require("flask" in files and "fastapi" in files, name, "needs a flask/ and a fastapi/ folder")
    _require(not set(data) & set(SIDES) - set(files), name,
             f"[{', '.join(sorted(set(data) & set(SIDES) - set(files)))}] describes a side that has no folder")
    probes = dict(probes or {})
    _require(not set(probes) - set(files), name, "a probe for a side that has no folder")
    tables = {side: data.get(side, {}) for side in SIDES}
    files = dict(files)
    if "naive" in files:
        # A naive port often differs from the advised one in one file: it inherits what it does not have,
        # the probe that observes it included.
        files["naive"] = {**files["fastapi"], **files["naive"]}
        if "fastapi" in probes:
            probes.setdefault("naive", probes["fastapi"])
        if isinstance(tables["fastapi"], dict) and isinstance(tables["naive"], dict):
            tables["naive"] = {**{k: v for k, v in tables["fastapi"].items() if k != "label"}, **tables["naive"]}
    sides = {key: _side(name, key, tables[key], files[key], probes.get(key, "")) for key in SIDES if key in files}
    requests = tuple(_request(name, r) for r in data.get("requests", []))
    calls = tuple(_call(name, c, sides) for c in data.get("calls", []))
    _require(bool(requests or calls), name, "observes nothing: add [[requests]] or [[calls]]")
    env = data.get("env", {})
    _require(isinstance(env, dict) and all(isinstance(v, str) for v in env.values()), name,
             "[env] maps variable names to strings")
    return Proof(name=name, rules=tuple(rules), title=data.get("title", ""), sides=sides, requests=requests,
                 calls=calls, not_executed=data.get("not_executed", ""), note=data.get("note", ""),
                 env=dict(env))


def _cases() -> Any:
    return resources.files(__name__).joinpath("cases")


def _ignored(entry: Any) -> bool:
    return entry.name.endswith(_IGNORED)


def _text(entry: Any) -> str:
    # Bytes, decoded: reading as text would turn a \r\n a case serves into \n.
    return entry.read_bytes().decode("utf-8")  # type: ignore[no-any-return]


def _tree(folder: Any) -> dict[str, str]:
    """Every file under `folder`, by `/`-separated path relative to it."""
    found: dict[str, str] = {}
    pending = [("", folder)]
    while pending:
        prefix, current = pending.pop()
        for entry in current.iterdir():
            if _ignored(entry):
                continue
            if entry.is_dir():
                pending.append((f"{prefix}{entry.name}/", entry))
            else:
                found[prefix + entry.name] = _text(entry)
    return found


def load(folder: Any) -> Proof:
    """The proof in one case folder (a path or an importlib.resources Traversable)."""
    name = folder.name
    entries = {entry.name: entry for entry in folder.iterdir() if not _ignored(entry)}
    _require(CASE_FILE in entries, name, f"has no {CASE_FILE}")
    unexpected = set(entries) - {CASE_FILE, MEASURED_FILE, *SIDES, SHARED_PROBE, *_PROBE_FILES}
    _require(not unexpected, name, f"unexpected {', '.join(sorted(unexpected))}: a case folder holds {CASE_FILE}, "
             f"{MEASURED_FILE}, one folder per side ({', '.join(SIDES)}), {SHARED_PROBE} and <side>_probe.py files")
    files = {side: _tree(entries[side]) for side in SIDES if side in entries and entries[side].is_dir()}
    probes = {side: _text(entries[probe]) for probe, side in _PROBE_FILES.items() if probe in entries}
    if SHARED_PROBE in entries:
        for side in ("flask", "fastapi"):  # the naive side inherits the FastAPI side's (parse)
            probes.setdefault(side, _text(entries[SHARED_PROBE]))
    return parse(name, _text(entries[CASE_FILE]), files, probes)


UNPROVEN_FILE = "unproven.toml"


@lru_cache(maxsize=None)
def unproven() -> dict[str, str]:
    """Direct/partial rules without a runnable pair, and why (unproven.toml, beside cases/, which name rules
    by code the same way): `explain` and docs/rules.md give the reason, and tests/test_proofs.py holds every
    other direct/partial rule to a case."""
    data: dict[str, str] = tomllib.loads(_text(resources.files(__name__).joinpath(UNPROVEN_FILE)))
    # The catalogue's shared codes (FMA365-378) each stand for several distributions, none of them installed by
    # the examples extra: their counterparts are cited from each one's documentation, not run. The reason is
    # made from the catalogue so that it names the distributions a code covers today.
    from ..ecosystem import SHARED_CODES

    for code, records in SHARED_CODES.items():
        if records[0].verdict in ("direct", "partial"):
            names = ", ".join(sorted(ext.distribution for ext in records))
            data.setdefault(code, f"A shared catalogue code for {names}: none of these is installed by the examples "
                                  "extra, so no before can be imported and run beside its counterpart.")
    return data


@lru_cache(maxsize=None)
def all_proofs() -> tuple[Proof, ...]:
    return tuple(load(entry) for entry in sorted(_cases().iterdir(), key=lambda e: e.name) if not _ignored(entry))


@lru_cache(maxsize=None)
def proofs_by_rule() -> dict[str, Proof]:
    by_rule: dict[str, Proof] = {}
    for proof in all_proofs():
        for code in proof.rules:
            if code in by_rule:
                raise ProofError(f"rule {code} is proven twice: by {by_rule[code].name} and by {proof.name}")
            by_rule[code] = proof
    return by_rule


def proof_for(code: str) -> Proof | None:
    return proofs_by_rule().get(code)


def case_folder(proof: Proof) -> Any:
    """The folder of `proof` in the installed package (a Traversable)."""
    return _cases().joinpath(proof.name)


def measured_path_name(proof: Proof) -> str:
    return f"{proof.name}/{MEASURED_FILE}"


def measured(proof: Proof) -> dict[str, Any] | None:
    """What the harness last recorded for `proof` (versions and one observation per check), if anything."""
    entry = case_folder(proof).joinpath(MEASURED_FILE)
    if not entry.is_file():
        return None
    data: dict[str, Any] = json.loads(_text(entry))
    return data


@dataclass(frozen=True)
class MeasuredRow:
    side: str  # flask, fastapi, naive
    label: str  # how the side is named to readers
    shown: str  # what it did, one line
    differs: bool  # from the Flask side


@dataclass(frozen=True)
class MeasuredCheck:
    label: str
    why: str  # for an accepted difference
    rows: tuple[MeasuredRow, ...]


@dataclass(frozen=True)
class MeasuredView:
    versions: dict[str, str]
    checks: tuple[MeasuredCheck, ...]

    @property
    def versions_text(self) -> str:
        return ", ".join(f"{name.capitalize() if name != 'fastapi' else 'FastAPI'} {version}"
                         for name, version in self.versions.items())


def _short(text: str, limit: int = 90) -> str:
    text = text.replace("\n", "\\n")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _show_body(body: Any) -> str:
    if isinstance(body, dict) and set(body) == {"json"}:
        return "JSON " + _short(json.dumps(body["json"], ensure_ascii=False, separators=(", ", ": ")))
    if isinstance(body, dict) and set(body) == {"text"}:
        return "text " + _short(repr(body["text"]))
    return _short(json.dumps(body, ensure_ascii=False))


def show_observation(seen: Any, http: bool = True) -> str:
    """One observation as one line: `302 · location: /books/1 · JSON {"id": 1}` for a request; a call's
    value as JSON."""
    if isinstance(seen, dict) and set(seen) == {"raised"}:
        return "raises " + _short(seen["raised"])
    if not http or not isinstance(seen, dict):
        return _short(json.dumps(seen, ensure_ascii=False, separators=(", ", ": ")), 160)
    parts = []
    for aspect, value in seen.items():
        if aspect == "status":
            parts.append(str(value))
        elif aspect.startswith("header:"):
            parts.append(f"{aspect[7:]}: {value if value is not None else '(absent)'}")
        elif aspect == "body":
            parts.append(_show_body(value))
        elif aspect in ("json", "json-order"):
            parts.append(("JSON in this key order " if aspect == "json-order" else "JSON ")
                         + _short(json.dumps(value, ensure_ascii=False, separators=(", ", ": "))))
        else:
            parts.append("text " + _short(repr(value)))
    return " · ".join(parts)


def measured_view(proof: Proof) -> MeasuredView | None:
    """What was measured for `proof`, ready to print: per check, each side's behaviour and whether it
    differs from Flask's."""
    data = measured(proof)
    if data is None:
        return None
    checks = []
    for check, seen in zip(proof.checks, data["observations"]):
        http = isinstance(check, Request)
        rows = tuple(MeasuredRow(side, proof.sides[side].label, show_observation(seen[side], http),
                                 side != "flask" and seen[side] != seen["flask"])
                     for side in SIDES if side in seen)
        checks.append(MeasuredCheck(seen["label"], check.why if check.expect == "differs" else "", rows))
    return MeasuredView(dict(data["versions"]), tuple(checks))


@lru_cache(maxsize=None)
def proven_against() -> dict[str, str]:
    """The library versions the recorded proofs ran on (flask, werkzeug, fastapi, starlette): one environment
    for all, which tests/test_proofs.py holds; empty when the records disagree."""
    recorded = {json.dumps(data["versions"], sort_keys=True) for proof in all_proofs() if (data := measured(proof))}
    versions: dict[str, str] = json.loads(recorded.pop()) if len(recorded) == 1 else {}
    return versions


def proven_against_text() -> str:
    """`FastAPI 0.165.0 (Starlette 1.10.0), against Flask 3.1.3 (Werkzeug 3.1.9)`: what `explain` and the docs
    say the advice was last proven against. Re-recording the cases after a release changes it."""
    versions = proven_against()
    if not versions:
        return "no single environment: the recorded proofs disagree, re-record them"
    return (f"FastAPI {versions['fastapi']} (Starlette {versions['starlette']}), against Flask "
            f"{versions['flask']} (Werkzeug {versions['werkzeug']})")
