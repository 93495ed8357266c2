"""Dependency files, read into one `DeclaredRequirements` fact each and handed to the `requirements`
text rules (rules/dependencies.py): every declared requirement, with the project facts that tell a dead
dependency from a used one.
"""
from __future__ import annotations

from dataclasses import dataclass

from ._base import FileHit, ProjectFacts, run_text_rules
from .requirements import Requirement


@dataclass(frozen=True)
class DeclaredRequirements:
    """What one dependency file declares (the `requirements` kind of text rule)."""

    requirements: list[Requirement]
    # None when the file is read on its own: nothing can be called a dead dependency then.
    project: ProjectFacts | None


def requirement_hits(requirements: list[Requirement], facts: ProjectFacts | None) -> list[FileHit]:
    return run_text_rules("requirements", DeclaredRequirements(requirements, facts))
