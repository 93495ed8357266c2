"""The readiness score: story points relative to the codebase's size.

    readiness = floor(100 / (1 + points / (HALF_READY_POINTS_PER_KLOC * kloc)))
    kloc      = max(non-blank lines, MIN_LINES) / 1000

`points` is the sum of the effort of every counted finding (unsuppressed, selected). A codebase with
100 story points per 1,000 lines scores 50. The score is 100 only when there are no points at all.
The floor on size keeps a 40-line tutorial from scoring 0 for a handful of findings.

Grades: A >= 90, B >= 75, C >= 50, D >= 25, else E; any blocker (a finding whose verdict is `none`)
caps the grade at C, because a codebase with something FastAPI cannot do is not "ready" whatever its
size. These properties are tested: deterministic; adding a finding never raises the score; the same
findings in a larger codebase never lower it; no findings scores 100.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable

HALF_READY_POINTS_PER_KLOC = 100
MIN_LINES = 1000
DAYS_PER_POINT = 0.5  # effort estimate: one story point is about half a developer-day
GRADES = (("A", 90), ("B", 75), ("C", 50), ("D", 25), ("E", 0))
BLOCKER_GRADE_CAP = "C"


def readiness(points: float, lines: int) -> int:
    if points <= 0:
        return 100
    kloc = max(lines, MIN_LINES) / 1000
    value = 100 / (1 + points / (HALF_READY_POINTS_PER_KLOC * kloc))
    return min(99, math.floor(value))


def grade(score: int, blockers: int) -> str:
    letter = next(letter for letter, floor in GRADES if score >= floor)
    if blockers and _rank(letter) < _rank(BLOCKER_GRADE_CAP):
        return BLOCKER_GRADE_CAP
    return letter


def _rank(letter: str) -> int:
    return [g for g, _ in GRADES].index(letter)


def estimate_days(points: float) -> float:
    return round(points * DAYS_PER_POINT, 1)


@dataclass(frozen=True)
class Scored:
    """One finding as the score sees it."""

    code: str
    effort: int
    blocker: bool


@dataclass(frozen=True)
class Score:
    readiness: int
    grade: str
    story_points: int
    blockers: int
    estimate_days: float


def score(findings: Iterable[Scored], lines: int) -> Score:
    items = list(findings)
    return score_of_totals(sum(f.effort for f in items), sum(1 for f in items if f.blocker), lines)


def score_of_totals(points: int, blockers: int, lines: int) -> Score:
    """`score` from the sums it takes of the findings: for reports, which score every file and unit."""
    value = readiness(points, lines)
    return Score(value, grade(value, blockers), points, blockers, estimate_days(points))
