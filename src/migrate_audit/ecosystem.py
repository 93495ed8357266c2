"""Lookups over the Flask extension catalogue, whose records are the FMA3xx rule declarations in
`rules/extensions.py`: by import module (name resolution), by code (the report's extension table) and
by distribution name (the dependency rules).
"""
from __future__ import annotations

from .rules.extensions import EXTENSIONS, Extension, normalize_distribution

BY_MODULE: dict[str, Extension] = {module: ext for ext in EXTENSIONS for module in ext.modules}
BY_CODE: dict[str, Extension] = {ext.code: ext for ext in EXTENSIONS}
TRACKED_EXTENSION_CLASSES = frozenset(cls for ext in EXTENSIONS for cls in ext.classes)
# What requirements files name: each record's own distribution and its aliases; `normalize_distribution`
# makes `Flask_Cors`, `flask-cors` and `Flask.CORS` one key.
BY_DISTRIBUTION: dict[str, Extension] = {
    **{normalize_distribution(ext.distribution): ext for ext in EXTENSIONS},
    **{alias: ext for ext in EXTENSIONS for alias in ext.aliases},
}


def extension_for_distribution(name: str) -> Extension | None:
    """The catalogue entry a requirement names (`Flask_Login>=0.6` -> Flask-Login), or None."""
    return BY_DISTRIBUTION.get(normalize_distribution(name))


__all__ = ["BY_CODE", "BY_DISTRIBUTION", "BY_MODULE", "EXTENSIONS", "TRACKED_EXTENSION_CLASSES", "Extension",
           "extension_for_distribution", "normalize_distribution"]
