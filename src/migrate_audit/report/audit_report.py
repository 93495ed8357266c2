"""`Report`: what an audit (or a merge) gives back, whichever front end asked for it.

It holds the JSON report (the contract in DESIGN.md) and the facts of the run that some formats show
besides (RenderContext: when, how long, where the sources are), plus the gate settings the audit was
made with, so that rendering and gating are the same code for the library, `scan` and `merge`.
"""
from __future__ import annotations

from typing import Any

from .context import RenderContext
from .gate import GateResult, evaluate


class Report:
    def __init__(self, data: dict[str, Any], context: RenderContext | None = None,
                 fail_under: float | None = None, fail_on: str | None = None, strict: bool = False) -> None:
        self._data = data
        self.context = context or RenderContext()
        self.fail_under = fail_under
        self.fail_on = fail_on
        self.strict = strict
        # What the person running the audit should know about how it was gated, one sentence each
        # (`--staged` with nothing staged); the command line prints them on stderr.
        self.notes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The JSON report, exactly what `migrate-audit scan --format json` prints for the same paths and
        settings. The report's own dictionary, not a copy: copy it before changing it."""
        return self._data

    @property
    def summary(self) -> dict[str, Any]:
        return dict(self._data["summary"])

    def render(self, output_format: str = "json", *, quiet: bool = False, color: bool = False) -> str:
        """The report as text in `output_format`: json, html, sarif, markdown, csv or text (`quiet` and
        `color` are for text: no per-finding lines; keep the ANSI styles)."""
        from .formats import render

        return render(self._data, output_format, self.context, quiet=quiet, color=color)

    def render_json_utf8(self) -> bytes:
        """`render("json")` encoded as UTF-8, made without that text: what the command line writes."""
        from .formats import render_json_utf8

        return render_json_utf8(self._data)

    def gate(self) -> GateResult:
        """The CI gate with the audit's fail_under, fail_on and strict settings."""
        return evaluate(self._data, self.fail_under, self.fail_on, self.strict)

    def __repr__(self) -> str:
        s = self._data["summary"]
        return (f"<Report {self._data.get('root', '.')!r}: readiness {s['readiness']} grade {s['grade']}, "
                f"{s['findings']} findings>")
