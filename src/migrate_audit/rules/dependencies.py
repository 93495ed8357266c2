"""FMA70x: dependencies declared in requirements files, pyproject.toml, setup.cfg, Pipfile and setup.py.

One rule per counterpart verdict, so the score, the blocker count and the report's dependency
readiness come straight from the codes. The requirements are read by `filekinds/` (requirements.py,
manifests.py); the counterparts come from the ecosystem catalogue (`ecosystem/catalogue.json`), shared with the
FMA3xx import rules. A requirement line costs 1 point: the work of replacing the extension is counted
where the code uses it.

Which rule fires follows the counterpart's verdict in the catalogue: FMA701 direct, FMA702 partial,
FMA703 none, FMA704 keep; FMA705 for a `Flask-*` distribution the catalogue does not know, FMA706 when no
scanned module imports it (this replaces the verdict rule: drop it, don't migrate it), FMA707 for WSGI
servers and green-thread libraries.
"""
from __future__ import annotations

from typing import Iterator

from ..ecosystem import Extension, extension_for_distribution, normalize_distribution
from ..filekinds._base import FileHit
from ..filekinds.dependencies import DeclaredRequirements
from ..registry import on_text, rule
from ._common import FASTAPI

_PIP = "https://pip.pypa.io/en/stable/reference/requirements-file-format/"
_WHY = ("The requirement must be swapped for the counterpart's distribution when the code moves; the "
        "code changes themselves are counted by the import rules (FMA3xx).")

DIRECT = rule(
    "FMA701", "flask-ecosystem-requirement-direct", "Flask-ecosystem requirement with a direct counterpart",
    "`{requirement}` requires {distribution}",
    "{counterpart}",
    "mandatory", 1, "direct",
    rationale=_WHY,
    links=(f"{FASTAPI}/#installation", _PIP),
)

PARTIAL = rule(
    "FMA702", "flask-ecosystem-requirement-partial", "Flask-ecosystem requirement with a partial counterpart",
    "`{requirement}` requires {distribution}",
    "{counterpart}",
    "mandatory", 1, "partial",
    rationale=_WHY + " The counterpart differs in behaviour; read the extension's FMA3xx rule.",
    links=(f"{FASTAPI}/#installation", _PIP),
)

NO_COUNTERPART = rule(
    "FMA703", "flask-ecosystem-requirement-without-counterpart",
    "Flask-ecosystem requirement without a FastAPI counterpart",
    "`{requirement}` requires {distribution}, which has no FastAPI counterpart",
    "{counterpart}",
    "mandatory", 1, "none",
    rationale=_WHY + " Nothing replaces this one: what it does must be rebuilt.",
    links=(f"{FASTAPI}/#installation", _PIP),
)

KEPT = rule(
    "FMA704", "framework-agnostic-requirement", "Framework-agnostic requirement of a Flask app",
    "`{requirement}` requires {distribution}, which works without Flask",
    "{counterpart}",
    "information", 0, "keep",
    rationale="Listed so the dependency inventory is complete: the library stays, only its Flask glue goes.",
    links=(_PIP,),
)

UNKNOWN_EXTENSION = rule(
    "FMA705", "unknown-flask-extension-requirement", "Flask extension requirement not in the catalogue",
    "`{requirement}` requires {distribution}, a Flask extension the catalogue does not know",
    "find a FastAPI/Starlette counterpart by hand, or drop it if the code no longer needs it",
    "potential", 3, "unknown",
    rationale="A `Flask-*` distribution is almost always bound to Flask's app and request contexts. The "
    "audit cannot say what replaces it, so it asks for a human look rather than staying silent.",
    links=(f"{FASTAPI}/alternatives/#flask", _PIP),
)

DEAD = rule(
    "FMA706", "unused-flask-requirement", "Flask-ecosystem requirement the code never imports",
    "`{requirement}` requires {distribution}, but no scanned module imports `{modules}`",
    "drop the requirement rather than migrate it (check for plugin or config-string loading first)",
    "optional", 1, "direct",
    rationale="A dependency nothing imports costs nothing to remove and would otherwise be migrated for "
    "nothing. Extensions loaded by name from configuration, or used only by code outside the scan, look "
    "unused too: check before deleting.",
    links=(_PIP,),
)

WSGI_SERVER = rule(
    "FMA707", "wsgi-server-requirement", "WSGI server or green-thread library requirement",
    "`{requirement}` requires {distribution}, {what}",
    "{counterpart}",
    "mandatory", 1, "partial",
    rationale="FastAPI is an ASGI application: it needs an ASGI server (uvicorn, hypercorn, granian) or "
    "Gunicorn with the uvicorn worker. gevent and eventlet monkey-patching does not mix with asyncio.",
    links=(f"{FASTAPI}/deployment/manually/", "https://uvicorn.dev/deployment/"),
)

_BY_VERDICT = {"direct": DIRECT, "partial": PARTIAL, "none": NO_COUNTERPART, "keep": KEPT}
# The report's dependency figure, by key (`unknown` and `dead` are not verdicts).
_READINESS = {**_BY_VERDICT, "unknown": UNKNOWN_EXTENSION, "dead": DEAD}

# Flask's own distributions, which are not extensions and so not in the catalogue.
_CORE: dict[str, tuple[str, tuple[str, ...], str, str]] = {
    # key: (display name, import modules, verdict, counterpart)
    "flask": ("Flask", ("flask",), "direct",
              "replace with `fastapi[standard]` (FastAPI, uvicorn and the `fastapi` CLI)"),
    "werkzeug": ("Werkzeug", ("werkzeug",), "keep",
                 "keep only while the code uses its framework-agnostic helpers (`werkzeug.security`, "
                 "`secure_filename`); otherwise it leaves with Flask"),
}

_SERVERS: dict[str, tuple[str, str]] = {
    "gunicorn": ("a WSGI server", "keep Gunicorn with `uvicorn-worker` (`-k uvicorn_worker.UvicornWorker`), or "
                 "run `uvicorn` directly"),
    "uwsgi": ("a WSGI server without ASGI support", "replace with `uvicorn` (or Gunicorn with `uvicorn-worker`)"),
    "waitress": ("a WSGI-only server", "replace with `uvicorn` (or `hypercorn`)"),
    "mod-wsgi": ("Apache's WSGI module", "replace with `uvicorn` behind Apache's `mod_proxy`"),
    "bjoern": ("a WSGI-only server", "replace with `uvicorn`"),
    "meinheld": ("a WSGI-only server", "replace with `uvicorn`"),
    "gevent": ("green threads by monkey-patching", "drop it once nothing monkey-patches: asyncio replaces "
               "green threads"),
    "eventlet": ("green threads by monkey-patching", "drop it once nothing monkey-patches: asyncio replaces "
                 "green threads"),
}


def _counterpart(ext: Extension) -> str:
    adds = ", ".join(f"`{d}`" for d in ext.counterpart_distributions if d != "fastapi")
    lead = f"add {adds}: " if adds and ext.verdict != "keep" else ""
    return f"{lead}{ext.counterpart} ({ext.health})"


def _modules_for(key: str) -> tuple[str, ...] | None:
    """The modules whose import shows the requirement is used; None when that cannot be told."""
    if key in _CORE:
        return _CORE[key][1]
    ext = extension_for_distribution(key)
    return ext.modules if ext is not None and not ext.loaded_by_name else None


def _imported(modules: tuple[str, ...], imported: frozenset[str]) -> bool:
    return any(module in imported for module in modules)


# With one of these beside it, Gunicorn already runs an ASGI worker (`-k uvicorn_worker.UvicornWorker`).
_ASGI_WORKERS = frozenset({"uvicorn-worker", "uvicorn"})


@on_text("requirements", DIRECT, PARTIAL, NO_COUNTERPART, KEPT, UNKNOWN_EXTENSION, DEAD, WSGI_SERVER)
def _requirements(declared: DeclaredRequirements) -> Iterator[FileHit]:
    requirements, facts = declared.requirements, declared.project
    asgi_worker = any(normalize_distribution(req.name) in _ASGI_WORKERS for req in requirements)
    for req in requirements:
        key = normalize_distribution(req.name)
        args = {"requirement": req.text.strip() or req.name}
        modules = _modules_for(key)
        imported = facts.imported_modules if facts is not None else None
        if modules is not None and imported is not None and req.installs and not _imported(modules, imported):
            name = _CORE[key][0] if key in _CORE else extension_for_distribution(key).distribution  # type: ignore[union-attr]
            yield FileHit(DEAD.code, req.line, req.column, {**args, "distribution": name, "modules": "`, `".join(modules)})
            continue
        if key in _CORE:
            name, _, verdict, counterpart = _CORE[key]
            yield FileHit(_BY_VERDICT[verdict].code, req.line, req.column,
                          {**args, "distribution": name, "counterpart": counterpart})
            continue
        ext = extension_for_distribution(key)
        if ext is not None:
            yield FileHit(_BY_VERDICT[ext.verdict].code, req.line, req.column,
                          {**args, "distribution": ext.distribution, "counterpart": _counterpart(ext)})
            continue
        if key.startswith("flask-"):
            yield FileHit(UNKNOWN_EXTENSION.code, req.line, req.column, {**args, "distribution": req.name})
            continue
        if key in _SERVERS and not (key == "gunicorn" and asgi_worker):
            what, counterpart = _SERVERS[key]
            yield FileHit(WSGI_SERVER.code, req.line, req.column,
                          {**args, "distribution": req.name, "what": what, "counterpart": counterpart})


def dependency_readiness(codes: list[str]) -> dict[str, int]:
    """The report's dependency figure: Flask-ecosystem requirements by counterpart verdict.

    `requirements` counts declarations (a project listed in requirements.txt and pyproject.toml counts
    twice), `dead` those no scanned module imports, `unknown` Flask extensions the catalogue lacks.
    """
    figure = {key: codes.count(rule_.code) for key, rule_ in _READINESS.items()}
    figure["requirements"] = sum(figure.values())
    return figure
