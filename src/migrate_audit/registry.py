"""The rule registry: filled by importing `migrate_audit.rules.*`, never written out by hand.

Rule modules declare `Rule` objects with `rule(...)` and attach matchers with `on_use` (a resolved name
such as `flask.request.args` is used), `on_import` (a module of an extension is imported),
`on_file` (the whole parsed file, for rules that are about file shape), `on_text` (the facts that
`filekinds/` reads from a requirements file, a start command, a server configuration or a template),
and one fallback with `on_unmatched` (a use that no `on_use` matcher covers).
Everything that lists rules (`migrate-audit rules`, `explain`, docs, flake8 codes, reports) reads
`all_rules()`. The module that declares a rule owns its code: `declared_in(code)` names it, and no other
module spells the code (a test checks).
"""
from __future__ import annotations

import importlib
import pkgutil
import sys
from collections import defaultdict
from typing import Any, Callable, Iterable

from .model import Category, Rule, Verdict

UseMatcher = Callable[[Any], Iterable[Any]]

_RULES: dict[str, Rule] = {}
USE_MATCHERS: dict[str, list[tuple[Rule, UseMatcher]]] = defaultdict(list)
IMPORT_MATCHERS: dict[str, list[tuple[Rule, UseMatcher]]] = defaultdict(list)
FILE_MATCHERS: list[tuple[Rule, UseMatcher]] = []
UNMATCHED_MATCHERS: list[tuple[Rule, UseMatcher]] = []
# Text kind -> (the rules a matcher may report, the matcher): see `on_text`.
TEXT_MATCHERS: dict[str, list[tuple[tuple[Rule, ...], UseMatcher]]] = defaultdict(list)
_DECLARED_IN: dict[str, str] = {}
_RULE_MODULE: dict[str, str] = {}
_loaded = False


def rule(
    code: str,
    name: str,
    title: str,
    message: str,
    counterpart: str,
    category: Category | str,
    effort: int,
    verdict: Verdict | str,
    *,
    declared_in: str | None = None,
    **extra: Any,
) -> Rule:
    """Declare a rule and register it under its code. `declared_in` names the module that spells the code
    when it is not the caller: the extension catalogue (`ecosystem/`) declares FMA301-338 and FMA365-378 as
    data that the flake8 plugin reads without loading any rule, and rules/extensions.py and
    rules/extensions_shared.py register them."""
    new = Rule(
        code=code,
        name=name,
        title=title,
        message=message,
        counterpart=counterpart,
        category=Category(category),
        effort=effort,
        verdict=Verdict(verdict),
        **{k: tuple(v) if k == "links" else v for k, v in extra.items()},
    )
    if code in _RULES:
        raise ValueError(f"rule code {code} is declared twice ({_RULES[code].name} and {name})")
    _RULES[code] = new
    # The caller's module, read once per rule at import: the rule module that registers it.
    _RULE_MODULE[code] = sys._getframe(1).f_globals.get("__name__", "")
    _DECLARED_IN[code] = declared_in or _RULE_MODULE[code]
    return new


def on_use(rule_: Rule, *quals: str) -> Callable[[UseMatcher], UseMatcher]:
    """Run the matcher on every use of one of `quals` (already canonical)."""

    def decorator(func: UseMatcher) -> UseMatcher:
        for qual in quals:
            USE_MATCHERS[qual].append((rule_, func))
        return func

    return decorator


def flag_uses(rule_: Rule, *quals: str, args: dict[str, dict[str, str]] | None = None) -> None:
    """Every use of one of `quals` is a finding at the use; `args[qual]` fills the message placeholders."""
    by_qual = args or {}

    def flag_here(use: Any) -> Iterable[Any]:
        yield use.hit(**by_qual.get(use.qual, {}))

    on_use(rule_, *quals, *by_qual)(flag_here)


def on_import(rule_: Rule, *modules: str) -> Callable[[UseMatcher], UseMatcher]:
    """Run the matcher on every import that binds something from one of `modules` (top-level names)."""

    def decorator(func: UseMatcher) -> UseMatcher:
        for module in modules:
            IMPORT_MATCHERS[module].append((rule_, func))
        return func

    return decorator


def on_file(rule_: Rule) -> Callable[[UseMatcher], UseMatcher]:
    def decorator(func: UseMatcher) -> UseMatcher:
        FILE_MATCHERS.append((rule_, func))
        return func

    return decorator


def on_unmatched(rule_: Rule) -> Callable[[UseMatcher], UseMatcher]:
    """Run the matcher on the attribute chain (`api.Chain`) of every use that no `on_use` matcher covers at
    any level: the fallback for APIs without a rule of their own."""

    def decorator(func: UseMatcher) -> UseMatcher:
        UNMATCHED_MATCHERS.append((rule_, func))
        return func

    return decorator


def on_text(kind: str, *rules: Rule) -> Callable[[UseMatcher], UseMatcher]:
    """Run the matcher on every fact of `kind` that `filekinds/` reads from a non-Python file; it yields
    hits of `rules` only (one matcher may choose between several rules, as the dependency verdicts do).

    The kinds, and the fact each matcher receives, are listed in `filekinds/_base.py` (`TEXT_KINDS`):
    `requirements`, `command`, `environment`, `gunicorn`, `uwsgi`, `appyaml`, `wsgi`, `template`.
    """
    if not rules:
        raise ValueError(f"a text matcher for {kind!r} must name the rules it reports")

    def decorator(func: UseMatcher) -> UseMatcher:
        TEXT_MATCHERS[kind].append((rules, func))
        return func

    return decorator


def reported_elsewhere(rule_: Rule, use: Any) -> bool:
    """Whether a matcher of another rule on `use.qual` reports this use: a generic rule (FMA389, an
    extension object's setup) stands back where a specific one speaks for the same line (`CORS(app)`:
    FMA380). The other matchers are pure functions of the use; one that raises counts as silent here (its
    own run reports the error)."""
    for other, func in USE_MATCHERS.get(use.qual, ()):
        if other is rule_:
            continue
        try:
            if any(True for _ in func(use)):
                return True
        except Exception:  # noqa: BLE001 - reported by the matcher's own run
            continue
    return False


def has_matchers(qual: str) -> bool:
    """True when some rule has a matcher on uses of `qual` (then the generic rule stays silent on it)."""
    return bool(USE_MATCHERS.get(qual))


def load() -> None:
    """Import every module under `migrate_audit.rules` once; their declarations fill the registry."""
    global _loaded
    if _loaded:
        return
    from . import rules

    for info in sorted(pkgutil.iter_modules(rules.__path__), key=lambda m: m.name):
        if not info.name.startswith("_"):
            importlib.import_module(f"{rules.__name__}.{info.name}")
    _loaded = True


def all_rules() -> list[Rule]:
    load()
    return [_RULES[code] for code in sorted(_RULES)]


def get_rule(code: str) -> Rule | None:
    load()
    return _RULES.get(code)


def known_codes() -> frozenset[str]:
    load()
    return frozenset(_RULES)


def declared_in(code: str) -> str | None:
    """The module that declares rule `code`, the only one that spells it (`migrate_audit.rules.routing`;
    `migrate_audit.ecosystem` for the catalogue's codes), or None for an unknown code."""
    load()
    return _DECLARED_IN.get(code)


def rule_module(code: str) -> str | None:
    """The rule module that registers rule `code` (its fixtures are named after it), or None."""
    load()
    return _RULE_MODULE.get(code)


def text_matchers(kind: str) -> list[tuple[tuple[Rule, ...], UseMatcher]]:
    load()
    return TEXT_MATCHERS.get(kind, [])
