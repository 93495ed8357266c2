"""The readiness score and grade, consistent with the effort estimate (effort.py).

Python code (app and test modules) is scored on Python code lines only, with the effort model's work
for it (`effort.python_work_days`: idioms, extensions, 25 lines of rework around each place, test
places at half):

    readiness = floor(100 / (1 + W / (line_days * max(python lines, MIN_LINES))))

`line_days * lines` is what the model charges to rework every line of the codebase, so readiness 50
means the port's Python work equals reworking every line once; 100 only with no Python work at all.
Templates, deployment and dependency files are scored on their own, in the same shape, with the
model's cost per place there (`other_place_days`) and their own lines; a file or package with no
Python code (a templates folder) gets that score.

Grades: A >= 90, B >= 75, C >= 50, D >= 25, else E; any blocking rule (verdict `none`: no FastAPI
equivalent) caps the grade at C, because a codebase with something FastAPI cannot do is not "ready"
whatever its size. Tested properties: deterministic; adding a finding never raises the score; the same
findings in a larger codebase never lower it; no findings scores 100.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import effort
from .effort import Place

MIN_LINES = effort.MIN_PYTHON_LINES
GRADES = (("A", 90), ("B", 75), ("C", 50), ("D", 25), ("E", 0))
BLOCKER_GRADE_CAP = "C"
PYTHON_SCOPES = (effort.APP, effort.TESTS)


def grade(score: int, blocking_rules: int) -> str:
    letter = next(letter for letter, floor in GRADES if score >= floor)
    if blocking_rules and _rank(letter) < _rank(BLOCKER_GRADE_CAP):
        return BLOCKER_GRADE_CAP
    return letter


def _rank(letter: str) -> int:
    return [g for g, _ in GRADES].index(letter)


@dataclass(frozen=True)
class Score:
    readiness: int
    grade: str
    story_points: int
    blockers: int  # places whose verdict is `none`
    blocking_rules: int  # distinct rules among them: what caps the grade


def score(places: list[Place], python_lines: int, other_lines: int = 0) -> Score:
    """The score of some files with their counted findings (`places`): on their Python code lines
    (app and test modules) when they have any, else on their own lines (templates, deployment files)."""
    if not places:
        # No work whatever the lines: 100 (`readiness_of_work` of 0 days), no blocker. A report scores
        # every file and package, most of them without findings (4,000 of 6,000 on the bench corpus),
        # and the effort model's count of nothing was most of the report's scoring time.
        return _NO_WORK
    if python_lines or not other_lines:
        value = effort.readiness(places, python_lines)
    else:
        value = effort.readiness_of_work(effort.other_work_days(places), other_lines)
    blocking = {p.code for p in places if p.verdict == "none"}
    blockers = sum(1 for p in places if p.verdict == "none")
    return Score(value, grade(value, len(blocking)), sum(p.effort for p in places), blockers, len(blocking))


_NO_WORK = Score(100, grade(100, 0), 0, 0, 0)


def is_python_code(path: str) -> bool:
    """Whether a file's lines count as Python code for the score (app or test module)."""
    return effort.scope_of(path) in PYTHON_SCOPES
