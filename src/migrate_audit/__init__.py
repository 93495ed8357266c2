"""migrate-audit: how ready is a Flask codebase to move to FastAPI, and what exactly has to change.

    from migrate_audit import audit
    report = audit(["examples/bookshelf"])
    print(report.as_dict()["summary"])

The library API (docs/library.md) is imported on first use: `import migrate_audit` stays cheap, for
the flake8 plugin, which editors start on every save.
"""
from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["ConfigError", "Report", "__version__", "audit", "merge"]

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (5-10 ms cold); mypy knows the name
if TYPE_CHECKING:
    from typing import Any

    from .config import ConfigError
    from .pipeline import audit, merge
    from .report.audit_report import Report

_LAZY = {"audit": "pipeline", "merge": "pipeline", "Report": "report.audit_report", "ConfigError": "config"}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
