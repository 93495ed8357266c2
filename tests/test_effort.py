"""The effort model (migrate_audit.effort): its shape, its rounding, the readiness score's documented
properties, and that the committed constants still come out of the committed calibration."""
from __future__ import annotations

import dataclasses
import importlib.util
import json
import math
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migrate_audit import effort
from migrate_audit.effort import CONSTANTS, Place, describe, display_days, estimate, readiness, scope_of

REPO = Path(__file__).resolve().parent.parent
BIG = 10_000  # module lines large enough that the per-module cap never binds


def place(code: str = "FMA102", path: str = "app/views.py", effort_: int = 1, verdict: str = "direct") -> Place:
    return Place(path, code, effort_, verdict)


def days(places: list[Place], lines: dict[str, int] | None = None) -> float:
    return estimate(places, lines if lines is not None else _lines_of(places)).days


def _lines_of(places: list[Place]) -> dict[str, int]:
    return {p.path: BIG for p in places}


@pytest.mark.parametrize(("path", "scope"), [
    ("app/views.py", "app"),
    ("src/pkg/api/routes.py", "app"),
    ("tests/test_views.py", "tests"),
    ("pkg/tests/helpers.py", "tests"),
    ("pkg/test_views.py", "tests"),
    ("pkg/views_test.py", "tests"),
    ("conftest.py", "tests"),
    ("pkg/contest.py", "app"),
    ("templates/index.html", "templates"),
    ("pkg/templates/mail/welcome.txt", "templates"),
    ("requirements.txt", "dependencies"),
    ("requirements/dev.in", "dependencies"),
    ("pyproject.toml", "dependencies"),
    ("setup.py", "dependencies"),
    ("Dockerfile", "deployment"),
    ("Procfile", "deployment"),
    ("deploy/gunicorn.conf.py", "deployment"),
    ("wsgi.py", "deployment"),
])
def test_scope_of(path: str, scope: str) -> None:
    assert scope_of(path) == scope


def test_nothing_to_port() -> None:
    result = estimate([], {})
    assert (result.days, result.low, result.high, result.text) == (0, 0, 0, "nothing to port")
    # Information rules, `keep` verdicts and extensions the app keeps (RQ) cost nothing either.
    free = [place("FMA232", effort_=0), place("FMA509", effort_=0, verdict="keep"),
            place("FMA324", effort_=1, verdict="keep"), place("FMA323", effort_=3, verdict="keep")]
    assert days(free) == 0


def test_setup_is_charged_once() -> None:
    one = estimate([place()], {"app/views.py": BIG})
    assert one.breakdown["setup"].days == CONSTANTS.setup_days
    two_modules = estimate([place(), place(path="app/other.py")], {"app/views.py": BIG, "app/other.py": BIG})
    assert two_modules.breakdown["setup"].days == CONSTANTS.setup_days


def test_a_repetition_costs_less_than_a_new_idiom() -> None:
    base = [place("FMA102"), place("FMA220")]
    repetition = days(base + [place("FMA102")]) - days(base)
    new_idiom = days(base + [place("FMA201")]) - days(base)
    assert 0 < repetition < new_idiom
    # ... and a repetition in a module whose every line is already being reworked costs nothing more.
    covered = {"app/views.py": 2 * CONSTANTS.lines_per_place}
    assert days(base + [place("FMA102")], covered) == days(base, covered)


def test_an_extension_is_charged_once_however_many_files_import_it() -> None:
    files = [f"app/m{i}.py" for i in range(6)]
    result = estimate([place("FMA301", path, 5, "partial") for path in files]
                      + [place("FMA342", "app/m0.py", 3, "partial")], {p: BIG for p in files})
    ext = result.breakdown["extensions"]
    assert (ext.count, ext.days, ext.detail["names"]) == (1, CONSTANTS.extension_days, ["Flask-SQLAlchemy"])
    # Its feature rules (FMA342 db.session) are part of the extension, not idioms of their own.
    assert result.breakdown["idioms"].count == 0


def test_tests_and_templates_are_separate_lines() -> None:
    app = [place("FMA102"), place("FMA220")]
    with_tests = app + [place("FMA505", "tests/test_app.py", 3, "partial")] * 3
    with_other = app + [place("FMA604", "templates/base.html", 1, "none"), place("FMA701", "requirements.txt")]
    lines = {"app/views.py": BIG, "tests/test_app.py": BIG}
    base = estimate(app, lines).breakdown
    tested = estimate(with_tests, lines).breakdown
    other = estimate(with_other, lines).breakdown
    for name in ("setup", "idioms", "extensions", "repetitions"):
        assert tested[name] == base[name] == other[name]
    assert tested["tests"].count == 3 and tested["tests"].days > 0
    assert other["templates_deployment"].count == 2
    assert other["templates_deployment"].detail["by_scope"] == {"templates": 1, "dependencies": 1}
    # Test code costs less than the same places in app code.
    as_app = [dataclasses.replace(p, path="app/testlike.py") for p in with_tests[2:]]
    assert tested["tests"].days < estimate(as_app, {"app/testlike.py": BIG}).breakdown["repetitions"].days


def test_breakdown_adds_up_and_names_the_drivers() -> None:
    places = [place("FMA102")] * 5 + [place("FMA220")] * 3 + [place("FMA201", "app/other.py")]
    result = estimate(places, {"app/views.py": 30, "app/other.py": 400})
    assert result.days == pytest.approx(sum(line.days for line in result.breakdown.values()))
    top = result.breakdown["idioms"].detail["top"]
    assert [(t["code"], t["places"], t["modules"]) for t in top] == [("FMA102", 5, 1), ("FMA220", 3, 1), ("FMA201", 1, 1)]
    # 30 lines for 8 places in views.py (the cap), 25 around the one place in other.py.
    assert result.breakdown["repetitions"].detail == {"modules": 2, "lines": 30 + CONSTANTS.lines_per_place}
    assert set(result.as_dict()) == {"estimate_days", "estimate_range", "estimate_text", "estimate_breakdown"}


CODES = ("FMA102", "FMA220", "FMA201", "FMA301", "FMA342", "FMA505", "FMA409", "FMA604", "FMA701", "FMA720")
PATHS = ("app/views.py", "app/models.py", "tests/test_app.py", "templates/a.html", "requirements.txt", "Procfile")
places_strategy = st.lists(st.builds(place, st.sampled_from(CODES), st.sampled_from(PATHS),
                                     st.sampled_from((0, 1, 3, 5)), st.sampled_from(("direct", "partial", "none", "keep"))),
                           max_size=40)
lines_strategy = st.fixed_dictionaries({p: st.integers(0, 3000) for p in PATHS})


@settings(max_examples=200, deadline=None)
@given(places_strategy, lines_strategy, st.builds(place, st.sampled_from(CODES), st.sampled_from(PATHS)))
def test_adding_a_finding_never_lowers_the_estimate(places: list[Place], lines: dict[str, int], extra: Place) -> None:
    assert days(places + [extra], lines) >= days(places, lines)


@settings(max_examples=200, deadline=None)
@given(places_strategy, lines_strategy)
def test_the_range_contains_the_estimate(places: list[Place], lines: dict[str, int]) -> None:
    result = estimate(places, lines)
    assert result.low <= result.days <= result.high
    shown = result.as_dict()
    assert shown["estimate_range"][0] <= shown["estimate_days"] <= shown["estimate_range"][1]


@pytest.mark.parametrize(("value", "shown"), [
    (0, 0), (0.1, 0.5), (0.74, 0.5), (0.76, 1), (1.3, 1.5), (6.2, 6), (9.8, 10), (12.4, 12),
    (19.6, 20), (37.4, 37), (143, 140), (9637.5, 9600),
])
def test_display_days(value: float, shown: float) -> None:
    assert display_days(value) == shown


def test_describe() -> None:
    assert describe(6.2, 2.9, 13.1) == "about 6 developer-days, likely 3\u201313"
    assert describe(1.1, 0.5, 2.3) == "about 1 developer-day, likely 0.5\u20132.5"
    assert describe(9637.5, 4600, 20000) == "about 9,600 developer-days, likely 4,600\u201320,000"


# ---- the readiness score ----------------------------------------------------------------------------

python_places = st.lists(st.builds(place, st.sampled_from(CODES), st.sampled_from(PATHS[:3]),
                                   st.sampled_from((0, 1, 3)), st.sampled_from(("direct", "partial", "keep"))),
                         max_size=60)


@settings(max_examples=200, deadline=None)
@given(python_places, st.integers(0, 500_000))
def test_readiness_is_deterministic(places: list[Place], lines: int) -> None:
    assert readiness(places, lines) == readiness(list(reversed(places)), lines)


@settings(max_examples=300, deadline=None)
@given(python_places, st.integers(0, 500_000), st.builds(place, st.sampled_from(CODES), st.sampled_from(PATHS)))
def test_adding_a_finding_never_raises_readiness(places: list[Place], lines: int, extra: Place) -> None:
    assert readiness(places + [extra], lines) <= readiness(places, lines)


@settings(max_examples=300, deadline=None)
@given(python_places, st.integers(0, 500_000), st.integers(0, 500_000))
def test_larger_codebase_never_scores_lower(places: list[Place], lines: int, more: int) -> None:
    assert readiness(places, lines + more) >= readiness(places, lines)


@given(st.integers(0, 10_000_000))
def test_no_flask_scores_100(lines: int) -> None:
    assert readiness([], lines) == 100
    # Findings outside Python code (templates, deployment, dependencies) are scored on their own.
    assert readiness([place("FMA701", "requirements.txt"), place("FMA604", "templates/a.html")], lines) == 100


def test_any_python_work_is_below_100_and_half_ready_at_the_documented_point() -> None:
    assert readiness([place()], 10_000_000) == 99
    # Work equal to reworking every line of the codebase scores 50.
    lines = 40 * CONSTANTS.lines_per_place
    work = effort.python_work_days([place()] * 40)
    assert work > CONSTANTS.line_days * lines
    tuned = dataclasses.replace(CONSTANTS, idiom_days=0.0, extension_days=0.0)
    assert readiness([place()] * 40, lines, tuned) == 50


# ---- the calibration ----------------------------------------------------------------------------------

def _calibration_module():
    spec = importlib.util.spec_from_file_location("calibration", REPO / "bench" / "calibration.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["calibration"] = module
    spec.loader.exec_module(module)
    return module


def test_committed_constants_reproduce_the_committed_calibration() -> None:
    cal = _calibration_module()
    summaries = json.loads((REPO / "bench" / "calibration-features.json").read_text(encoding="utf-8"))
    committed = json.loads((REPO / "bench" / "calibration-results.json").read_text(encoding="utf-8"))
    assert len(summaries) == 10
    # The fit starts from the committed constants with the fitted ones blanked: it must find them again.
    blank = dataclasses.replace(CONSTANTS, **{name: 0.0 for name in cal.FITTED}, range_factor=1.0)
    results = cal.evaluate(summaries, blank)
    assert results == committed
    assert dataclasses.asdict(CONSTANTS) == results["constants"]
    assert (REPO / "bench" / "calibration.md").read_text(encoding="utf-8") == cal.markdown(results, summaries)
    # The table's in-sample column is what effort.estimate gives with the committed constants.
    for summary, row in zip(summaries, results["rows"]):
        assert round(estimate(*cal.places_of(summary)).days, 2) == row["in_sample_days"]


def test_feature_summaries_hold_counts_not_code() -> None:
    summaries = json.loads((REPO / "bench" / "calibration-features.json").read_text(encoding="utf-8"))
    for summary in summaries:
        for module in summary["modules"]:
            assert set(module) == {"path", "lines", "places"}
            for code, (count, points, verdict) in module["places"].items():
                assert code.startswith("FMA") and count > 0 and points in (0, 1, 3, 5, 7, 13)
                assert verdict in ("direct", "partial", "none", "keep", "unknown")


def test_a_portfolio_is_the_sum_of_its_applications() -> None:
    shop = [place("FMA102")] * 3 + [place("FMA301", "app/db.py", 5, "partial")]
    library = [place("FMA102", "lib/views.py"), place("FMA220", "lib/views.py")]
    lines = {"app/views.py": BIG, "app/db.py": BIG, "lib/views.py": BIG}
    one = effort.estimate_portfolio([(shop, lines)])
    assert one == estimate(shop, lines)
    both = effort.estimate_portfolio([(shop, lines), (library, lines)])
    parts = [estimate(shop, lines), estimate(library, lines)]
    assert both.days == pytest.approx(sum(p.days for p in parts))
    assert (both.low, both.high) == pytest.approx((sum(p.low for p in parts), sum(p.high for p in parts)))
    assert both.breakdown["setup"].count == 2  # each application sets up its own FastAPI app
    assert both.breakdown["idioms"].detail["top"][0] == {"code": "FMA102", "places": 4, "modules": 2}
    assert both.breakdown["extensions"].detail["names"] == ["Flask-SQLAlchemy"]


@pytest.mark.parametrize(("ratios", "share", "factor"), [
    ([1.0, 1.0, 1.0, 1.0], 0.8, 1.0),
    ([1.0, 2.0, 0.5, 1.25], 0.8, 2.0),          # 4 of 4 needed: the widest error, 2x either way
    ([1.0, 1.4, 0.41, 3.3, 1.1], 0.8, 2.5),     # 4 of 5: 1/0.41 = 2.44 rounds up to 2.5; 3.3 left out
    ([1.21, 1.0], 1.0, 1.3),                    # a factor just over a tenth is rounded up, never down
    ([2.0, 1.0], 1.0, 2.0),                     # ... and an exact tenth stays
])
def test_likely_factor_is_the_smallest_tenth_covering_the_share(
        ratios: list[float], share: float, factor: float) -> None:
    cal = _calibration_module()
    assert cal.likely_factor(ratios, share) == factor
    covered = sum(1 / factor <= r <= factor for r in ratios)
    assert covered >= math.ceil(share * len(ratios) - 1e-9)
    if factor > 1.0:  # a tenth less covers fewer
        assert sum(1 / (factor - 0.1) <= r <= factor - 0.1 for r in ratios) < covered


def test_the_likely_range_holds_eight_of_ten_real_efforts_leave_one_out() -> None:
    """The committed calibration's promise, in both forms bench/calibration.md reports: the printed
    range (CONSTANTS.range_factor) and the nested one (the factor set without the port tested)."""
    committed = json.loads((REPO / "bench" / "calibration-results.json").read_text(encoding="utf-8"))
    rows = committed["rows"]
    factor = CONSTANTS.range_factor
    inside = [1 / factor <= r["estimate_days"] / r["real_days"] <= factor for r in rows]
    assert sum(inside) == committed["in_likely_range"] >= 8
    assert sum(r["real_in_nested_range"] for r in rows) == committed["in_nested_range"] >= 8
    for r in rows:
        assert r["real_in_nested_range"] == (1 / r["nested_range_factor"] <= r["ratio"] <= r["nested_range_factor"])


def test_line_days_windows_bound_what_one_constant_can_place_within_2x() -> None:
    cal = _calibration_module()
    summaries = json.loads((REPO / "bench" / "calibration-features.json").read_text(encoding="utf-8"))
    windows = cal.line_days_windows(summaries)
    for summary, (lo, hi) in zip(summaries, windows):
        places, lines = cal.places_of(summary)
        for value, inside in ((lo * 0.99, lo == 0), (lo * 1.01 + 1e-7, True), (hi * 0.99, True), (hi * 1.01, False)):
            ratio = estimate(places, lines, dataclasses.replace(CONSTANTS, line_days=value)).days / summary["real_days"]
            assert (0.5 <= ratio <= 2) == inside, (summary["repo"], value)
    assert cal.best_window([(0.0, 2.0), (1.0, 3.0), (2.5, 4.0), (0.0, 0.0)]) == (2, 1.0, 2.0)


def test_the_inventory_adds_no_day_and_no_point() -> None:
    """FMA910-912 (imports, annotations, each `db.session` use) complete the list of lines to change; the
    work is counted at the uses and once per module (FMA342), so thousands of them move nothing."""
    from migrate_audit import registry
    from migrate_audit.rules.inventory import ANNOTATION, IMPORT_LINE, SESSION_USE

    work = [place("FMA102", f"app/views{i}.py") for i in range(5)] + [place("FMA342", "app/models.py", 3, "partial")]
    lines = {f"app/views{i}.py": 400 for i in range(5)} | {"app/models.py": 400, "tests/test_views.py": 300}
    inventory = [Place(path, rule.code, registry.get_rule(rule.code).effort, rule.verdict.value)
                 for rule in (IMPORT_LINE, ANNOTATION, SESSION_USE)
                 for path in [*lines, "tests/test_views.py"] for _ in range(200)]
    before, after = estimate(work, lines), estimate(work + inventory, lines)
    assert after.days == before.days and after.breakdown == before.breakdown
    assert readiness(work + inventory, 2_400) == readiness(work, 2_400)
    assert readiness(inventory, 2_400) == 100
