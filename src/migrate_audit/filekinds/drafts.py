"""Templates analysed while the Python analysis still runs, by workers that would otherwise wait for
the analyses of imported files (GitHub issue 18): on indico, lexing and parsing Jinja is a third of a
cold scan's CPU time, and as a phase of its own after the Python analysis, all of it was wall time.

A template's analysis depends on the project's facts (`ProjectFacts`, known only once every Python
file is analysed) through a few questions alone: is this `url_for` keyword a path parameter of some
route, does the project pass `config` to its render calls itself. A draft is made under the facts
known so far and notes each question asked and its answer (`AskedNames`). Under the final facts it
stands when every answer is the same, and the template is analysed again otherwise: a draft decides
when a template is analysed, never what is reported.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from ..discovery import SourceFile
from ..model import FileResult
from ._base import ProjectFacts

# Templates given to a worker at once (one chunk), in bytes: small, so that an analysis whose imports
# are done waits little behind them (about 40 ms of work), but not so small that passing them to the
# worker and their drafts back costs more than that.
DRAFT_BYTES = 48 * 1024


class AskedNames(frozenset):  # type: ignore[type-arg]
    """A set of names (a project fact) that notes every name looked up in it (`in`) and the answer."""

    asked: dict[str, bool]

    def __new__(cls, names: frozenset[str]) -> "AskedNames":
        made = super().__new__(cls, names)
        made.asked = {}
        return made

    def __contains__(self, name: object) -> bool:
        answer = frozenset.__contains__(self, name)
        self.asked[name] = answer  # type: ignore[index]
        return answer


@dataclass
class Draft:
    """A template's analysis under facts that may not be final: its outcome (`project._analyze`'s), the
    (size, mtime) of the file it read, and the questions it asked of the facts, with their answers."""

    kind: str
    stamp: tuple[int, int] | None
    outcome: tuple[FileResult, list[Any]]
    parameters: dict[str, bool]
    context: dict[str, bool]

    def holds(self, kind: str, facts: ProjectFacts, stamp: tuple[int, int, str] | None) -> bool:
        """Whether the analysis of the same file under `facts` would be this one: the same bytes (by
        size and mtime), and the same answer to every question asked of the facts."""
        if kind != self.kind or stamp is None or self.stamp != stamp[:2] or facts.path_parameters is None:
            return False
        return all((name in facts.path_parameters) == answer for name, answer in self.parameters.items()) \
            and all((name in facts.context_names) == answer for name, answer in self.context.items())


def draft_template(task: tuple[str, str, str], facts: ProjectFacts) -> Draft | None:
    """The draft of one template (`task`: kind, path, relpath) under `facts`, which must know the path
    parameters (None only when no Python file is analysed: then there is nothing to overlap)."""
    from .project import _analyze, _stamp  # project.py reads drafts

    kind, path, relpath = task
    if facts.path_parameters is None:
        return None
    stamp = _stamp(path, "")
    parameters, context = AskedNames(facts.path_parameters), AskedNames(facts.context_names)
    outcome = _analyze(kind, path, relpath, ProjectFacts(facts.imported_modules, parameters, context))
    return Draft(kind, stamp[:2] if stamp is not None else None, outcome, parameters.asked, context.asked)


class Drafting:
    """The templates left to draft, and the drafts made. Only files in a `templates/` folder are drafted
    (a candidate elsewhere depends on the folders the Python code declares), only those a sharded scan
    reports (`owns`), and none that the result cache (`memo`) has for the same size and mtime."""

    def __init__(self, sources: list[SourceFile], memo: dict[str, Any] | None,
                 owns: Callable[[str], bool] | None) -> None:
        from . import TEMPLATE
        from .project import _stamp

        self.todo: list[tuple[str, str, str, int]] = []  # (kind, path, relpath, size), largest last
        for source in sources:
            if source.kind != TEMPLATE or (owns is not None and not owns(source.relpath)):
                continue
            stamp = _stamp(source.path, "")
            if stamp is None:
                continue
            cached = (memo or {}).get(source.relpath)
            if cached is not None and cached[0] is not None and cached[0][:2] == stamp[:2]:
                continue
            self.todo.append((TEMPLATE, source.path, source.relpath, stamp[0]))
        self.todo.sort(key=lambda task: (task[3], task[2]))
        self.drafts: dict[str, Draft] = {}

    def take(self, budget: int = DRAFT_BYTES) -> list[tuple[str, str, str, int]]:
        """The next templates to draft, about `budget` bytes of them (the largest first)."""
        taken: list[tuple[str, str, str, int]] = []
        spent = 0
        while self.todo and (not taken or spent + self.todo[-1][3] <= budget):
            taken.append(self.todo.pop())
            spent += taken[-1][3]
        return taken

    def keep(self, relpath: str, draft: Draft | None) -> None:
        if draft is not None:
            self.drafts[relpath] = draft
