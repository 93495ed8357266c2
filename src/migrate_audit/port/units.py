"""Units: what converts together, and what stays Flask.

A unit is the app or one Blueprint, with every file that makes it or routes on it. It converts only as a
whole, and only when every file of it is selected (`--only`), the registration of a Blueprint is one the
port reads (it moves), and no file keeps a site the port left to people on the object itself (`@bp.before_request` on an APIRouter, `app.config`), which would fail at import. The
app also stays Flask while it registers a Blueprint that does: `register_blueprint` has no FastAPI form.
A converted Blueprint registered by an app that stays Flask is served by main.py, the Flask app mounted
behind it: the strangler fig.
"""
from __future__ import annotations

from .edits import PortedFile


def staying(files: dict[str, PortedFile], selected: set[str], notes: list[str]) -> set[str]:
    """The units that stay Flask, from a first pass over every file; `notes` gets why, for the units the
    selected files touch."""
    stay: dict[str, str] = {}
    for relpath, file in sorted(files.items()):
        for unit in sorted(file.units):
            if unit in stay:
                continue
            if relpath not in selected:
                stay[unit] = f"{relpath} is not selected"
            elif file.blocked.get("*") or file.blocked.get(unit):
                stay[unit] = file.blocked.get("*") or file.blocked[unit]
        for unit, why in file.blocked.items():  # a registered Blueprint's name used otherwise
            if unit != "*" and relpath in selected:
                stay.setdefault(unit, why)
    registered = {unit for file in files.values() for unit in file.registers}
    for file in files.values():
        for unit in sorted(file.units - registered - {"app"} - set(stay)):
            # registered where the port cannot read it (a loop over modules): the Flask app would still
            # register it, and fail on an APIRouter
            stay[unit] = "no register_blueprint the port can read registers it"
    changed = True
    while changed:  # an app that registers a Blueprint staying Flask stays Flask too
        changed = False
        for file in files.values():
            if "app" in file.units and "app" not in stay and file.registers & set(stay):
                stay["app"] = f"it registers {sorted(file.registers & set(stay))[0]}, which stays Flask"
                changed = True
    chosen = {unit for relpath, file in files.items() if relpath in selected for unit in file.units}
    notes += [f"{unit} stays Flask: {why}" for unit, why in sorted(stay.items()) if unit in chosen]
    return set(stay)
