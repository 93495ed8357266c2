"""The Flask ecosystem catalogue: one record per extension (or Flask integration inside another package),
the single source for the extension rules, the report's extension table and the dependency rules.

The records are data, in `catalogue.json` beside this module (shipped in the wheel): distribution,
import modules, FastAPI counterpart, verdict, effort, health, links, what differs, the classes name
resolution follows and the API a migration has to follow. Loading it is one `json.loads` (about a
millisecond): the flake8 plugin reads the catalogue (which modules are interesting) on every lint
without loading any rule.

Codes. A record's `code` is the rule its adoption is reported under. FMA301-338 each name one
distribution (a public contract: never renumbered; when a record was split, the code kept the
distribution it was named for). The FMA3xx band has no room for a code per distribution, so every later
record shares the code of its verdict and effort (FMA365-378: "Flask extension in use, partial
counterpart, 3 points"); its findings still name the distribution, and the extension table lists each
distribution on its own row. `rules/extensions.py` registers the rules, with `declared_in` naming this
module. Adding an extension is adding a record to the JSON and a case to
tests/fixtures/rules/extensions*.py.

Versions and health notes are a snapshot (late 2026) of each counterpart's release history; they are
advice to re-check, not facts that never change.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Extension:
    code: str  # the FMA3xx rule reporting its adoption
    distribution: str  # PyPI name, as the project spells it
    modules: tuple[str, ...]  # import names: top-level (`flask_login`) or dotted (`webargs.flaskparser`)
    counterpart: str
    counterpart_distributions: tuple[str, ...]
    verdict: str
    effort: int
    health: str  # the counterpart's maintenance state
    links: tuple[str, ...]
    note: str = ""  # what differs, what has no equivalent
    classes: tuple[str, ...] = ()  # classes whose instances resolution follows (`db = SQLAlchemy()`)
    # Followed too, but tools the extension hands out rather than its set-up: making one
    # (`parser = reqparse.RequestParser()`) adopts nothing, and their calls have rules of their own.
    helper_classes: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # other PyPI names installing the same modules (forks, renames)
    follow: tuple[str, ...] = ()  # the API a migration follows, as the research read it (prose)
    # Loaded by an entry point or a configuration string (pytest plugins, `flask shell` plugins, toolbar
    # panels), never imported: a requirement nothing imports is not dead.
    loaded_by_name: bool = False

    @property
    def name_key(self) -> str:
        return normalize_distribution(self.distribution)


def normalize_distribution(name: str) -> str:
    """PEP 503 normalisation, plus `flask.login` spelling: `Flask_Login` == `flask-login`."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _load() -> tuple[Extension, ...]:
    records = json.loads((Path(__file__).parent / "catalogue.json").read_text(encoding="utf-8"))
    return tuple(Extension(**{key: tuple(value) if isinstance(value, list) else value
                              for key, value in record.items()}) for record in records)


EXTENSIONS: tuple[Extension, ...] = _load()

# Two distributions really share one module (`flask_bootstrap`: Bootstrap-Flask and Flask-Bootstrap):
# the first record wins for imports; a requirement names the right one.
BY_MODULE: dict[str, Extension] = {}
for _ext in EXTENSIONS:
    for _module in _ext.modules:
        BY_MODULE.setdefault(_module, _ext)
# FMA301-338 name one distribution each; from FMA365 on, a code is shared by the records of one verdict
# and effort.
FIRST_SHARED_CODE = "FMA365"
BY_CODE: dict[str, Extension] = {ext.code: ext for ext in EXTENSIONS if ext.code < FIRST_SHARED_CODE}
SHARED_CODES: dict[str, tuple[Extension, ...]] = {}
for _ext in EXTENSIONS:
    if _ext.code >= FIRST_SHARED_CODE:
        SHARED_CODES[_ext.code] = (*SHARED_CODES.get(_ext.code, ()), _ext)
TRACKED_EXTENSION_CLASSES = frozenset(cls for ext in EXTENSIONS for cls in (*ext.classes, *ext.helper_classes))
# Flask-CORS reads its options from configuration keys with this prefix (`CORS_ORIGINS`), often set in a
# config class of a module that never imports Flask: the pre-filter lets such a module through, so that
# the rule following them (rules/ext_followed.py, FMA385) sees it.
CORS_KEY_PREFIX = "CORS_"
# Roots whose imports may be an extension: `webargs` for `webargs.flaskparser`.
MODULE_ROOTS = frozenset(module.partition(".")[0] for module in BY_MODULE)


def extension_for_module(module: str) -> Extension | None:
    """The record whose module `module` is or is inside (`webargs.flaskparser.use_args` -> webargs's
    Flask parser), or None: `webargs.fields` is no Flask integration."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        ext = BY_MODULE.get(".".join(parts[:end]))
        if ext is not None:
            return ext
    return None


def record_for_finding(code: str, message: str) -> Extension | None:
    """The record an adoption finding of `code` is about: its code's record, or for a shared code the
    record whose module the message quotes (`Flask-Moment (`flask_moment`) ...`)."""
    if code in BY_CODE:
        return BY_CODE[code]
    for ext in SHARED_CODES.get(code, ()):
        if any(f"`{module}`" in message for module in ext.modules):
            return ext
    return None


# --- Distributions: what requirements files name ---------------------------------------------------
# Other PyPI names that install an extension of the catalogue (forks, renames, legacy spellings), from
# the records' `aliases`; `normalize_distribution` makes `Flask_Cors`, `flask-cors` and `Flask.CORS` one
# key. An alias must install one of its extension's `modules`: the dead-dependency rule (FMA706) looks
# for those imports.
DISTRIBUTION_ALIASES: dict[str, Extension] = {
    normalize_distribution(alias): ext for ext in EXTENSIONS for alias in ext.aliases}

BY_DISTRIBUTION: dict[str, Extension] = {
    **{normalize_distribution(ext.distribution): ext for ext in reversed(EXTENSIONS)},
    **DISTRIBUTION_ALIASES,
}


def extension_for_distribution(name: str) -> Extension | None:
    """The catalogue entry a requirement names (`Flask_Login>=0.6` -> Flask-Login), or None."""
    return BY_DISTRIBUTION.get(normalize_distribution(name))
