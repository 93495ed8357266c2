"""The score's documented properties (scoring.py, on the effort model's work), on hand-built places."""
from __future__ import annotations

import itertools
import random

from migrate_audit import effort, scoring
from migrate_audit.effort import CONSTANTS, Place
from migrate_audit.scoring import grade, score

CODES = ("FMA102", "FMA220", "FMA201", "FMA301", "FMA505", "FMA604", "FMA701")
PATHS = ("app/views.py", "app/models.py", "tests/test_app.py", "templates/a.html", "requirements.txt")


def findings(*efforts: int, blockers: int = 0, path: str = "app/views.py") -> list[Place]:
    items = [Place(path, "FMA101", e, "direct") for e in efforts]
    items += [Place(path, "FMA502", 5, "none") for _ in range(blockers)]
    return items


def random_place(rng: random.Random) -> Place:
    return Place(rng.choice(PATHS), rng.choice(CODES), rng.choice(scoring_scale()),
                 rng.choice(("direct", "partial", "none", "keep")))


def test_no_flask_scores_100() -> None:
    result = score([], 50_000)
    assert (result.readiness, result.grade, result.story_points, result.blockers) == (100, "A", 0, 0)


def test_informational_findings_cost_nothing() -> None:
    assert score(findings(0, 0, 0), 10).readiness == 100


def test_any_point_drops_below_100() -> None:
    assert score(findings(1), 10_000_000).readiness == 99


def test_deterministic() -> None:
    items = findings(1, 3, 5, 13, blockers=2)
    assert score(items, 4000) == score(list(reversed(items)), 4000)


def test_adding_a_finding_never_raises_the_score() -> None:
    rng = random.Random(7)
    for _ in range(300):
        python, other = rng.randint(0, 100_000), rng.choice((0, rng.randint(0, 20_000)))
        items = [random_place(rng) for _ in range(rng.randint(0, 60))]
        before, after = score(items, python, other), score(items + [random_place(rng)], python, other)
        assert after.readiness <= before.readiness
        assert _grade_rank(after.grade) >= _grade_rank(before.grade)


def test_larger_codebase_never_scores_lower() -> None:
    items = findings(3, 5, 1, 1, 13)
    scores = [score(items, lines).readiness for lines in range(0, 200_000, 997)]
    assert scores == sorted(scores)
    templates = findings(1, 1, 3, path="templates/a.html")
    scores = [score(templates, 0, lines).readiness for lines in range(1, 200_000, 997)]
    assert scores == sorted(scores)


def test_half_ready_when_the_work_equals_reworking_every_line() -> None:
    lines = 20_000
    assert effort.readiness_of_work(CONSTANTS.line_days * lines, lines) == 50
    assert effort.readiness_of_work(2 * CONSTANTS.line_days * lines, lines) == 33


def test_small_codebases_use_the_size_floor() -> None:
    items = findings(1, 3, 5)
    assert score(items, 10).readiness == score(items, scoring.MIN_LINES).readiness < 99


def test_the_score_is_on_python_code_and_templates_are_scored_on_their_own() -> None:
    python = findings(1, 3)
    other = [Place("templates/a.html", "FMA604", 1, "direct"), Place("requirements.txt", "FMA701", 1, "direct")]
    # Findings outside Python code and template lines leave the Python score alone.
    assert score(python + other, 5000, 8000).readiness == score(python, 5000).readiness
    # A folder of templates only gets the templates' own score, below 100 with findings.
    alone = score(other, 0, 400)
    assert alone.readiness == effort.readiness_of_work(2 * CONSTANTS.other_place_days, 400) < 100


def test_blockers_cap_the_grade_and_count_per_rule() -> None:
    assert grade(95, 0) == "A" and grade(95, 1) == "C"
    assert grade(30, 1) == "D"
    result = score(findings(blockers=3) + [Place("app/b.py", "FMA804", 3, "none")], 1_000_000)
    assert (result.blockers, result.blocking_rules, result.grade) == (4, 2, "C")


def test_grade_boundaries() -> None:
    assert [grade(s, 0) for s in (100, 90, 89, 75, 74, 50, 49, 25, 24, 0)] == list("AABBCCDDEE")


def scoring_scale() -> tuple[int, ...]:
    return (0, 1, 3, 5, 7, 13)


def _grade_rank(letter: str) -> int:
    return "ABCDE".index(letter)


def test_points_are_the_sum_of_efforts() -> None:
    for combo in itertools.combinations_with_replacement(scoring_scale(), 3):
        assert score(findings(*combo), 1000).story_points == sum(combo)


def test_no_findings_is_what_the_formulas_give_for_no_work() -> None:
    """`score([])` is answered without the effort model's count (most files of a report have no finding):
    it must be what the formulas give for no places, on any lines."""
    for python_lines, other_lines in itertools.product((0, 1, 10, 10 ** 6), (0, 1, 500)):
        if python_lines or not other_lines:
            value = effort.readiness([], python_lines)
        else:
            value = effort.readiness_of_work(effort.other_work_days([]), other_lines)
        assert score([], python_lines, other_lines) == scoring.Score(value, grade(value, 0), 0, 0, 0)
