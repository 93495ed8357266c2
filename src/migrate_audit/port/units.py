"""Units: what converts together, and what stays Flask.

A unit is the app or one Blueprint, with every file that makes it or routes on it. It converts only as a
whole, and only when every file of it is selected (`--only`), the registration of a Blueprint is one the
port reads (it moves), and no file keeps a site the port left to people on the object itself (`@bp.before_request` on an APIRouter, `app.config`), which would fail at import. The
app also stays Flask while it registers a Blueprint that does: `register_blueprint` has no FastAPI form.
A converted Blueprint registered by an app that stays Flask is served by main.py, the Flask app mounted
behind it: the strangler fig.

While the app stays Flask, a Blueprint also stays when the Flask app runs something around its requests (`hazarded`:
a request hook, error handler or URL processor on the app or on the Blueprint, WSGI middleware; split.around_requests
finds them): main.py would serve its routes without it (an `after_request` header missing). Extensions and config
keys are not counted here (the session bridge, for one, answers for Flask's session config). And it stays when any
finding in its files is left to people (a TODO),
even one that would import: main.py would otherwise send its requests to views that still call Flask
(`url_for`, `current_user`, a form) and answer 500 where Flask answered. The Flask app can serve every
route of the Blueprint as it did; FastAPI serves only what converted fully and that nothing outside the
view takes part in (split.py moves those views on their own), and the whole conversion, TODOs and all,
is written beside the Flask module as a draft nothing imports (`DRAFT`). When the app itself converts
(a whole-project port) there is no Flask app left to serve an unfinished unit, so units convert whole,
TODOs and all, as before: that output is people's to finish before it runs, not a strangler fig.
"""
from __future__ import annotations

from .edits import PortedFile
from .templates import STATIC_UNITS


def staying(files: dict[str, PortedFile], selected: set[str], notes: list[str]) -> dict[str, str]:
    """The units that stay Flask, and why, from a first pass over every file; `notes` gets why, for the
    units the selected files touch."""
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
    if "app" in stay:
        for unit, why in unfinished(files, selected).items():
            stay.setdefault(unit, why)
        for file in files.values():  # its static folder is mounted where the app includes it, not by main.py
            for unit in sorted(file.memo.get(STATIC_UNITS, ())):
                stay.setdefault(unit, "its static folder is served by the app's registration, which stays Flask")
    chosen = {unit for relpath, file in files.items() if relpath in selected for unit in file.units}
    notes += [f"{unit} stays Flask: {why}" for unit, why in sorted(stay.items()) if unit in chosen]
    return stay


# The draft of a unit held back by `unfinished`: beside its Flask module, a name nothing imports. Its imports
# are the Flask module's (a sibling module is still the Flask one), so it is finished and then moved over the
# Flask module, one unit at a time, not imported beside it.
DRAFT = "_fastapi_draft.py"


def draft_path(relpath: str) -> str:
    """Where the draft of the module at `relpath` goes (`auth/routes.py` -> `auth/routes_fastapi_draft.py`,
    `auth/__init__.py` -> `auth/package_fastapi_draft.py`)."""
    folder, _, name = relpath.rpartition("/")
    stem = name[: -len(".py")] if name != "__init__.py" else "package"
    return (folder + "/" if folder else "") + stem + DRAFT


def unfinished(files: dict[str, PortedFile], selected: set[str]) -> dict[str, str]:
    """Blueprint unit -> the first finding of its files the first pass left to people. `files` have been
    through `convert.port_file`, so each site says whether it was rewritten; a file with several units
    holds them all (a TODO outside the views, a hook or a module-level read, may take part in any)."""
    found: dict[str, str] = {}
    for relpath, file in sorted(files.items()):
        if relpath not in selected:
            continue
        left = next((site for site in file.sites if not site.handled), None)
        if left is None:
            continue
        why = f": {left.reason}" if left.reason else ""  # why the port left it, where it tried
        for unit in sorted(file.units - {"app"}):
            found.setdefault(unit, f"{left.code} at {relpath}:{left.node.range().start.line + 1} is left to people "
                                   f"(a TODO{why}), so FastAPI would answer its routes unfinished")
    return found


def hazarded(files: dict[str, PortedFile], selected: set[str], stay: dict[str, str], hazards: dict[str, str],
             notes: list[str]) -> dict[str, str]:
    """The Blueprint units that would convert, move to main.py and answer otherwise there, while the app stays
    Flask: `hazards` (split.around_requests: unit or "app" -> what runs around its requests) names what the Flask
    app runs around them that FastAPI would not."""
    found: dict[str, str] = {}
    chosen = {unit for relpath, file in files.items() if relpath in selected for unit in file.units}
    for unit in sorted({unit for file in files.values() for unit in file.units} - set(stay) - {"app"}):
        reason = hazards.get(unit) or hazards.get("app")
        if reason:
            found[unit] = f"the Flask app takes part in answering its requests, which main.py would not: {reason}"
            if unit in chosen:
                notes.append(f"{unit} stays Flask: {found[unit]}")
    return found
