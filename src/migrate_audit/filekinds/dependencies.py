"""Dependency findings: every declared requirement that belongs to the Flask ecosystem, with the
distribution to add instead, and the requirements the code never imports (dead dependencies).

Which rule fires follows the counterpart's verdict in the ecosystem catalogue: FMA701 direct, FMA702
partial, FMA703 none, FMA704 keep; FMA705 for a `Flask-*` distribution the catalogue does not know,
FMA706 when no scanned module imports it (this replaces the verdict rule: drop it, don't migrate it),
FMA707 for WSGI servers and green-thread libraries.
"""
from __future__ import annotations

from typing import Iterator

from ..ecosystem import Extension, extension_for_distribution, normalize_distribution
from ._base import FileHit, ProjectFacts
from .requirements import Requirement

_VERDICT_CODES = {"direct": "FMA701", "partial": "FMA702", "none": "FMA703", "keep": "FMA704"}
DEPENDENCY_CODES = ("FMA701", "FMA702", "FMA703", "FMA704", "FMA705", "FMA706")

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
    if key in _CORE:
        return _CORE[key][1]
    ext = extension_for_distribution(key)
    return ext.modules if ext is not None else None


def _imported(modules: tuple[str, ...], imported: frozenset[str]) -> bool:
    return any(module in imported for module in modules)


# With one of these beside it, Gunicorn already runs an ASGI worker (`-k uvicorn_worker.UvicornWorker`).
_ASGI_WORKERS = frozenset({"uvicorn-worker", "uvicorn"})


def requirement_hits(requirements: list[Requirement], facts: ProjectFacts | None) -> Iterator[FileHit]:
    asgi_worker = any(normalize_distribution(req.name) in _ASGI_WORKERS for req in requirements)
    for req in requirements:
        key = normalize_distribution(req.name)
        args = {"requirement": req.text.strip() or req.name}
        modules = _modules_for(key)
        imported = facts.imported_modules if facts is not None else None
        if modules is not None and imported is not None and req.installs and not _imported(modules, imported):
            name = _CORE[key][0] if key in _CORE else extension_for_distribution(key).distribution  # type: ignore[union-attr]
            yield FileHit("FMA706", req.line, req.column, {**args, "distribution": name, "modules": "`, `".join(modules)})
            continue
        if key in _CORE:
            name, _, verdict, counterpart = _CORE[key]
            yield FileHit(_VERDICT_CODES[verdict], req.line, req.column,
                          {**args, "distribution": name, "counterpart": counterpart})
            continue
        ext = extension_for_distribution(key)
        if ext is not None:
            yield FileHit(_VERDICT_CODES[ext.verdict], req.line, req.column,
                          {**args, "distribution": ext.distribution, "counterpart": _counterpart(ext)})
            continue
        if key.startswith("flask-"):
            yield FileHit("FMA705", req.line, req.column, {**args, "distribution": req.name})
            continue
        if key in _SERVERS and not (key == "gunicorn" and asgi_worker):
            what, counterpart = _SERVERS[key]
            yield FileHit("FMA707", req.line, req.column,
                          {**args, "distribution": req.name, "what": what, "counterpart": counterpart})


def dependency_readiness(codes: list[str]) -> dict[str, int]:
    """The report's dependency figure: Flask-ecosystem requirements by counterpart verdict.

    `requirements` counts declarations (a project listed in requirements.txt and pyproject.toml counts
    twice), `dead` those no scanned module imports, `unknown` Flask extensions the catalogue lacks.
    """
    by_code = {code: codes.count(code) for code in DEPENDENCY_CODES}
    figure = {
        "direct": by_code["FMA701"],
        "partial": by_code["FMA702"],
        "none": by_code["FMA703"],
        "keep": by_code["FMA704"],
        "unknown": by_code["FMA705"],
        "dead": by_code["FMA706"],
    }
    figure["requirements"] = sum(figure.values())
    return figure
