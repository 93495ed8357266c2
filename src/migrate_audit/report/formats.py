"""The output formats: every renderer of the report dictionary, by name.

Every `--format` choice and every `--<format> FILE` option of the command line comes from `RENDERERS`
(plus `text`, which prints on a terminal and is never written to a file); `Report.render` goes through
`render` here.
"""
from __future__ import annotations

from typing import Any, Callable

from . import jsonsafe
from .context import RenderContext
from .csv_report import render_csv
from .markdown import render_markdown
from .sarif import render_sarif


def render_html(report: dict[str, Any], context: RenderContext | None = None) -> str:
    """The HTML report, with Jinja imported only when one is asked for (0.15 s of a warm JSON re-scan)."""
    from .html import render_html as render

    return render(report, context)


def render_json(report: dict[str, Any], context: RenderContext | None = None) -> str:
    return jsonsafe.dumps(report, indent=2, sort_keys=True) + "\n"


def render_json_utf8(report: dict[str, Any]) -> bytes:
    """`render_json(report)` as the UTF-8 bytes written out, made without the text (jsonsafe.dumps_utf8)."""
    return jsonsafe.dumps_utf8(report, indent=2, sort_keys=True, newline=True)


# Output formats: name -> renderer of the report dictionary.
RENDERERS: dict[str, Callable[[dict[str, Any], RenderContext], str]] = {
    "json": render_json,
    "html": render_html,
    "sarif": render_sarif,
    "markdown": render_markdown,
    "csv": render_csv,
}
FORMATS = ("text", *RENDERERS)  # what `render` accepts


def render(report: dict[str, Any], output_format: str, context: RenderContext | None = None,
           quiet: bool = False, color: bool = False) -> str:
    """`report` in `output_format` (one of FORMATS). Text only: `quiet` leaves out the per-finding lines,
    and `color` keeps the ANSI styles (`click.echo` strips them where the output is no terminal)."""
    context = context or RenderContext()
    if output_format == "text":
        import click

        from .text import render_text

        text = render_text(report, duration=context.duration, show_findings=not quiet)
        return text if color else click.unstyle(text)
    renderer = RENDERERS.get(output_format)
    if renderer is None:
        raise ValueError(f"unknown report format {output_format!r}; use one of {', '.join(FORMATS)}")
    return renderer(report, context)
