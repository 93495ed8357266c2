"""The score's documented properties, on hand-built finding lists."""
from __future__ import annotations

import itertools
import random

from migrate_audit import scoring
from migrate_audit.scoring import Scored, grade, readiness, score


def findings(*efforts: int, blockers: int = 0) -> list[Scored]:
    items = [Scored("FMA101", e, False) for e in efforts]
    items += [Scored("FMA502", 5, True) for _ in range(blockers)]
    return items


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
        lines = rng.randint(0, 100_000)
        items = findings(*(rng.choice(scoring_scale()) for _ in range(rng.randint(0, 60))))
        extra = Scored("FMA999", rng.choice(scoring_scale()), rng.random() < 0.3)
        before, after = score(items, lines), score(items + [extra], lines)
        assert after.readiness <= before.readiness
        assert _grade_rank(after.grade) >= _grade_rank(before.grade)


def test_larger_codebase_never_scores_lower() -> None:
    items = findings(3, 5, 1, 1, 13)
    scores = [score(items, lines).readiness for lines in range(0, 200_000, 997)]
    assert scores == sorted(scores)


def test_half_ready_at_the_documented_density() -> None:
    assert readiness(scoring.HALF_READY_POINTS_PER_KLOC * 10, 10_000) == 50


def test_small_codebases_use_the_size_floor() -> None:
    assert readiness(40, 10) == readiness(40, scoring.MIN_LINES)


def test_blockers_cap_the_grade() -> None:
    assert grade(95, 0) == "A" and grade(95, 1) == "C"
    assert grade(30, 1) == "D"


def test_grade_boundaries() -> None:
    assert [grade(s, 0) for s in (100, 90, 89, 75, 74, 50, 49, 25, 24, 0)] == list("AABBCCDDEE")


def test_estimate() -> None:
    assert score(findings(1, 3), 1000).estimate_days == 2.0


def scoring_scale() -> tuple[int, ...]:
    return (0, 1, 3, 5, 7, 13)


def _grade_rank(letter: str) -> int:
    return "ABCDE".index(letter)


def test_points_are_the_sum_of_efforts() -> None:
    for combo in itertools.combinations_with_replacement(scoring_scale(), 3):
        assert score(findings(*combo), 1000).story_points == sum(combo)
