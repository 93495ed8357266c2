"""The rule API: what a rule module sees of the engine (the context of a file, a use of a Flask name, a
hit to report, the return statements of a function). Rule modules import these names from here, never
from the engine.

A placeholder in this branch: branch `engine` replaces it with the real module when it splits engine.py.
"""
from __future__ import annotations

from .engine import FileContext, Hit, Use, returns_of

__all__ = ["FileContext", "Hit", "Use", "returns_of"]
