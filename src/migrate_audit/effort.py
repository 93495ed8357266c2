"""The effort estimate: developer-days to port what the scan reports, calibrated on real migrations.

A port costs a fixed setup (the FastAPI app object, the run command, settings, the test client), a
decision for each distinct idiom the team meets (the first place a rule matches: how does this map to
FastAPI here?), the replacement of each Flask extension (once per extension, however many files import
it), and the editing at every place: the code around it (`lines_per_place` lines), never more than
its module, so the tenth `jsonify` in a small module is a search-and-replace in code already open.

    days = setup_days                                         (once, when app code uses Flask)
         + idiom_days     * distinct rules in app code        (not extension rules, not 0-point ones)
         + extension_days * distinct extensions to replace    (verdict not `keep`)
         + line_days      * sum over app modules of min(module's code lines, lines_per_place * places)
         + test_factor * line_days * the same sum over test modules
         + other_place_days * places in templates, deployment and dependency files

Seven constants. One is fitted on ten real Flask -> FastAPI ports (bench/calibration.py; the fit and
its leave-one-out error are in bench/calibration.md): `line_days`. Six are set by judgement, because
the ten ports cannot separate them (bench/calibration-variants.md fits each beside `line_days`,
leave-one-out): `setup_days` (the smallest ports took half a day in all; fitted, it goes to 0),
`idiom_days` (about ten minutes to look up and decide each distinct idiom; fitted, it goes to 0, and
any value from 0 to 0.05 gives about the same leave-one-out error), `extension_days` (about half an
hour per extension on top of the code it touches; fitted, it goes to 0 too, see bench/calibration.py),
`lines_per_place` (a place stands for the statement or small block around it; 10 or 40 fit no
better), `test_factor` and `other_place_days` (only one port had Flask tests in scope, none changed
many templates).

Within 0.5-2x of the judged effort, leave-one-out, the model places 6 of the ten ports. The misses are
not in the code the scan sees (bench/calibration.md, "Why not 8 of 10 within 2x"): two ports with
nearly the same findings took 1 and 5 days, and the one large port needs a higher cost per reworked
line than the small one-session ports allow, which a fitted power of the lines would follow only by
predicting hundreds of days for large applications. So the figure comes with its error:
`range_factor` is not a model constant but the smallest factor (in tenths) for which "likely"
(estimate / range_factor to estimate * range_factor) holds 80% of the ten ports' real efforts,
leave-one-out; it holds 8 of 10, and 8 of 10 too when the factor itself is set without the port it
is tested on (nested leave-one-out).

The estimate covers porting the code the tool sees, by developers who know the codebase; not new
features, frontend work or QA. Everything here is a pure function of findings and line counts.
"""
from __future__ import annotations

import functools
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from . import registry
from .discovery import classify
from .ecosystem import BY_CODE as EXTENSIONS_BY_CODE
from .filekinds import DEPENDENCY_KINDS, TEMPLATE, TEMPLATE_CANDIDATE, python_side_kind
from .testpaths import is_test_path

APP, TESTS, TEMPLATES, DEPLOYMENT, DEPENDENCIES = "app", "tests", "templates", "deployment", "dependencies"
SCOPES = (APP, TESTS, TEMPLATES, DEPLOYMENT, DEPENDENCIES)
OTHER_SCOPES = (TEMPLATES, DEPLOYMENT, DEPENDENCIES)  # costed per place, one line of the estimate
TOP_DRIVERS = 5
# What the estimate is an estimate of; every report format says it beside the figure.
COVERS = ("the port of the code the tool sees, by developers who know the codebase; "
          "not new features, frontend changes or QA")



@functools.lru_cache(maxsize=65536)  # a report asks for each file's scope several times
def scope_of(path: str) -> str:
    """Where a file sits in the port: app code, test code, a template, a deployment or dependency file.

    From the path alone, with the scan's own file kinds (discovery.classify): templates by their
    folder and suffix, requirements/pyproject/setup files as dependencies, Dockerfiles, Procfiles,
    WSGI entry modules and server configs as deployment; Python test code (testpaths.is_test_path)
    as tests."""
    kind = classify(path)
    if kind in (TEMPLATE, TEMPLATE_CANDIDATE):
        return TEMPLATES
    if kind in DEPENDENCY_KINDS:
        return DEPENDENCIES
    if kind is not None and kind != "python":
        return DEPLOYMENT
    side = python_side_kind(path)
    if side in DEPENDENCY_KINDS:
        return DEPENDENCIES
    if side is not None:  # gunicorn.conf.py, wsgi.py: the entry glue an ASGI server replaces
        return DEPLOYMENT
    if is_test_path(path):
        return TESTS
    return APP


@dataclass(frozen=True)
class Place:
    """One counted finding as the estimate sees it."""

    path: str
    code: str
    effort: int  # story points; 0 (information) costs nothing
    verdict: str  # `keep`: framework-agnostic, costs nothing


def places_from_report(report: Mapping[str, Any]) -> tuple[list[Place], dict[str, int]]:
    """The counted findings and the code lines per file of a JSON report (`findings`, `files`)."""
    places = [Place(f["path"], f["code"], f["effort"], f["verdict"])
              for f in report.get("findings", ()) if not f.get("suppressed")]
    lines = {f["path"]: f["lines"] for f in report.get("files", ())}
    return places, lines


@dataclass(frozen=True)
class Constants:
    setup_days: float
    idiom_days: float
    extension_days: float
    line_days: float
    lines_per_place: int
    test_factor: float
    other_place_days: float
    range_factor: float


# `line_days` and `range_factor` are the output of `bench/calibration.py fit` on
# bench/calibration-features.json, pasted here; tests/test_effort.py checks they still come out of it.
# `range_factor` 2.5: the likely range of an estimate of 4 days is 1.5 to 10.
CONSTANTS = Constants(
    setup_days=0.25,
    idiom_days=0.02,
    extension_days=0.055,
    line_days=0.003,
    lines_per_place=25,
    test_factor=0.5,
    other_place_days=0.02,
    range_factor=2.5,
)


@functools.lru_cache(maxsize=None)
def extension_of(code: str) -> tuple[str, str] | None:
    """(extension name, its counterpart's verdict) for a rule about a Flask extension, else None."""
    ext = EXTENSIONS_BY_CODE.get(code)
    if ext is None:
        rule = registry.get_rule(code)
        if rule is None or not rule.extension:
            return None
        ext = next((e for e in EXTENSIONS_BY_CODE.values() if e.distribution == rule.extension), None)
        if ext is None:
            return rule.extension, rule.verdict.value
    return ext.distribution, ext.verdict


@dataclass(frozen=True)
class Line:
    """One line of the breakdown: what it counts, and its days."""

    days: float
    count: int
    detail: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"days": round(self.days, 2), "count": self.count, **self.detail}


@dataclass(frozen=True)
class Estimate:
    days: float  # the central figure
    low: float
    high: float
    breakdown: dict[str, Line]

    @property
    def text(self) -> str:
        return describe(self.days, self.low, self.high)

    def as_dict(self) -> dict[str, Any]:
        """What the JSON summary carries: `estimate_days` (central, display-rounded), the range, the
        breakdown with each line's days, and the sentence a report prints."""
        return {
            "estimate_days": display_days(self.days),
            "estimate_range": [display_days(self.low), display_days(self.high)],
            "estimate_text": self.text,
            "estimate_breakdown": {name: line.as_dict() for name, line in self.breakdown.items()},
        }


@dataclass(frozen=True)
class Counts:
    """What the model counts in the places and files; the estimate is a weighted sum of these."""

    idioms: tuple[tuple[str, int, int], ...] = ()  # (rule code, places, modules), most places first
    extensions: tuple[str, ...] = ()  # extensions to replace, by name
    app_modules: int = 0
    app_places: int = 0
    app_lines: int = 0  # reworked_lines of the app modules
    test_modules: int = 0
    test_places: int = 0
    test_lines: int = 0
    other: tuple[tuple[str, int], ...] = ()  # (scope, places) for templates, deployment, dependencies


def reworked_lines(per_module: Mapping[str, int], lines: Mapping[str, int], per_place: int) -> int:
    """The code lines the edits touch: `per_place` lines around each place, at most the module."""
    return sum(min(lines.get(path, 0), per_place * count) for path, count in per_module.items())


def count(places: Iterable[Place], lines: Mapping[str, int], lines_per_place: int) -> Counts:
    """The counts of the places that cost something: not 0-point (information) rules, not `keep`
    verdicts, not extensions the app keeps (Celery, RQ)."""
    modules: dict[str, Counter[str]] = defaultdict(Counter)
    per_rule: Counter[str] = Counter()
    rule_modules: dict[str, set[str]] = defaultdict(set)
    extensions: set[str] = set()
    scopes: dict[str, str] = {}  # reports have many findings per file
    for place in places:
        if place.effort <= 0 or place.verdict == "keep":
            continue
        ext = extension_of(place.code)
        if ext is not None and ext[1] == "keep":
            continue
        scope = scopes.get(place.path) or scopes.setdefault(place.path, scope_of(place.path))
        modules[scope][place.path] += 1
        if scope != APP:
            continue
        if ext is not None:
            extensions.add(ext[0])
        else:
            per_rule[place.code] += 1
            rule_modules[place.code].add(place.path)
    app, tests = modules.get(APP, Counter()), modules.get(TESTS, Counter())
    ranked = sorted(per_rule, key=lambda code: (-per_rule[code], code))
    return Counts(
        idioms=tuple((code, per_rule[code], len(rule_modules[code])) for code in ranked),
        extensions=tuple(sorted(extensions)),
        app_modules=len(app), app_places=sum(app.values()), app_lines=reworked_lines(app, lines, lines_per_place),
        test_modules=len(tests), test_places=sum(tests.values()),
        test_lines=reworked_lines(tests, lines, lines_per_place),
        other=tuple((scope, sum(modules[scope].values())) for scope in OTHER_SCOPES if modules.get(scope)),
    )


def estimate(places: Iterable[Place], lines: Mapping[str, int], constants: Constants = CONSTANTS) -> Estimate:
    """The estimate for counted findings (`places`) and code lines per file (`lines`)."""
    return estimate_counts(count(places, lines, constants.lines_per_place), constants)


def estimate_counts(counts: Counts, constants: Constants = CONSTANTS) -> Estimate:
    c = constants
    other_places = sum(n for _, n in counts.other)
    breakdown = {
        "setup": Line(c.setup_days if counts.app_places else 0.0, 1 if counts.app_places else 0),
        "idioms": Line(c.idiom_days * len(counts.idioms), len(counts.idioms), {
            "top": [{"code": code, "places": places, "modules": modules}
                    for code, places, modules in counts.idioms[:TOP_DRIVERS]]}),
        "extensions": Line(c.extension_days * len(counts.extensions), len(counts.extensions),
                           {"names": list(counts.extensions)}),
        "repetitions": Line(c.line_days * counts.app_lines, counts.app_places,
                            {"modules": counts.app_modules, "lines": counts.app_lines}),
        "tests": Line(c.test_factor * c.line_days * counts.test_lines, counts.test_places,
                      {"modules": counts.test_modules, "lines": counts.test_lines}),
        "templates_deployment": Line(c.other_place_days * other_places, other_places,
                                     {"by_scope": dict(counts.other)}),
    }
    central = sum(line.days for line in breakdown.values())
    return Estimate(central, central / c.range_factor, central * c.range_factor, breakdown)


def estimate_report(report: Mapping[str, Any], constants: Constants = CONSTANTS) -> Estimate:
    places, lines = places_from_report(report)
    return estimate(places, lines, constants)


def estimate_portfolio(applications: Iterable[tuple[Iterable[Place], Mapping[str, int]]],
                       constants: Constants = CONSTANTS) -> Estimate:
    """The estimate of several applications ported one by one: the sum of their estimates (each has
    its own setup, idioms and extensions to replace), the range the sum of their ranges (the model's
    error is systematic, so the applications' errors do not cancel). Each breakdown line adds up the
    applications' days and counts; the top idioms are ranked over all of them."""
    counted = [count(places, lines, constants.lines_per_place) for places, lines in applications]
    parts = [estimate_counts(counts, constants) for counts in counted] or [estimate_counts(Counts(), constants)]
    idioms: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for counts in counted:
        for code, places_, modules in counts.idioms:
            idioms[code][0] += places_
            idioms[code][1] += modules
    breakdown = {}
    for name, first in parts[0].breakdown.items():
        detail: dict[str, Any] = {}
        for key, value in first.detail.items():
            if key == "top":
                continue
            if key == "names":
                detail[key] = sorted({n for part in parts for n in part.breakdown[name].detail[key]})
            elif key == "by_scope":
                detail[key] = dict(sum((Counter(part.breakdown[name].detail[key]) for part in parts), Counter()))
            else:
                detail[key] = sum(part.breakdown[name].detail[key] for part in parts)
        if name == "idioms":
            ranked = sorted(idioms, key=lambda code: (-idioms[code][0], code))
            detail["top"] = [{"code": code, "places": idioms[code][0], "modules": idioms[code][1]}
                             for code in ranked[:TOP_DRIVERS]]
        breakdown[name] = Line(sum(part.breakdown[name].days for part in parts),
                               sum(part.breakdown[name].count for part in parts), detail)
    return Estimate(sum(p.days for p in parts), sum(p.low for p in parts), sum(p.high for p in parts), breakdown)


def display_days(days: float) -> float:
    """Days rounded as people say them: halves below 10, whole days to 20, then two significant
    figures (about 37, about 140, about 9,600): an estimate with a factor-two error has no decimals."""
    if days <= 0:
        return 0.0
    if days < 10:
        return max(0.5, round(days * 2) / 2)
    if days < 20:
        return float(round(days))
    digits = 2 - int(math.floor(math.log10(days))) - 1
    return float(round(days, digits))


def _say(days: float) -> str:
    value = display_days(days)
    return f"{value:,.1f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"


def describe(days: float, low: float, high: float) -> str:
    """'about 6 developer-days, likely 3-12' (en dash), or 'nothing to port'."""
    if days <= 0:
        return "nothing to port"
    unit = "developer-day" if display_days(days) == 1 else "developer-days"
    return f"about {_say(days)} {unit}, likely {_say(low)}\u2013{_say(high)}"


# ---- the readiness score, consistent with the estimate (scoring.py grades it) -------------------------

MIN_PYTHON_LINES = 1000


def python_work_days(places: Iterable[Place], constants: Constants = CONSTANTS) -> float:
    """The Python part of the estimate without setup and without the per-module cap on lines: idioms,
    extensions, `lines_per_place` lines per app place, test places at `test_factor`. It depends on
    the findings only, never on file sizes, so the score's size properties hold exactly."""
    c = constants
    counts = count(places, {}, c.lines_per_place)
    per_place = c.line_days * c.lines_per_place
    return (c.idiom_days * len(counts.idioms) + c.extension_days * len(counts.extensions)
            + per_place * (counts.app_places + c.test_factor * counts.test_places))


def readiness(places: Iterable[Place], python_lines: int, constants: Constants = CONSTANTS) -> int:
    """How much of the Python code is ready for FastAPI, 0-100, on Python code lines only:

        readiness = floor(100 / (1 + W / (line_days * max(python_lines, MIN_PYTHON_LINES))))

    W is `python_work_days` (templates, deployment and dependency files are scored on their own), and
    `line_days * python_lines` is what the model charges to rework every line of the codebase, so the
    ratio is the port's work counted in codebase-equivalents: a codebase whose every line must be
    reworked, with no idioms to learn, scores 50; twice that work scores 33, three times 25. 100 only with no Python work at all (a codebase with no Flask), at most 99 otherwise.
    Deterministic; adding a finding never raises it (W only grows); the same findings in a larger
    codebase never lower it (W does not depend on the lines); the size floor keeps a 40-line tutorial
    from scoring 0 for a handful of findings."""
    return readiness_of_work(python_work_days(places, constants), python_lines, constants)


def readiness_of_work(work_days: float, lines: int, constants: Constants = CONSTANTS) -> int:
    """The score's one formula: `work_days` against reworking `lines` code lines (at least
    MIN_PYTHON_LINES); `readiness` for Python code, scoring.py for templates and deployment files."""
    if work_days <= 0:
        return 100
    value = 100 / (1 + work_days / (constants.line_days * max(lines, MIN_PYTHON_LINES)))
    return min(99, math.floor(value))


def other_work_days(places: Iterable[Place], constants: Constants = CONSTANTS) -> float:
    """The estimate's work in templates, deployment and dependency files: `other_place_days` a place."""
    counts = count(places, {}, constants.lines_per_place)
    return constants.other_place_days * sum(n for _, n in counts.other)
