"""`scan --port`: which findings `migrate-audit port` rewrites, and what remains for people.

The decision is the port's own (port.PortResult.ported, the sites it rewrote when porting the whole
folder, as `migrate-audit port PATH` does): this module only carries it into the report. Each finding gets
`ported`, and `summary.port` the counts, the story points the port takes off, and the effort model's
estimate of what is left (effort.py on the findings not ported, so the setup, the idioms still to learn and
the extensions to replace are counted as the model counts them, not as a share of the points).
"""
from __future__ import annotations

from typing import Any, Iterable

from .. import effort


def mark_ported(report: dict[str, Any], ported: Iterable[tuple[str, int, int, str]], routes: int,
                routes_ported: int) -> None:
    """Add `ported` to every finding and `port` to the summary. `ported` holds (path, line, column, code)
    of the findings the port rewrites; `routes` and `routes_ported` count the route decorators, and those
    whose view it converts fully."""
    rewritten = set(ported)
    for finding in report["findings"]:
        finding["ported"] = (finding["path"], finding["line"], finding["column"], finding["code"]) in rewritten
    left, lines = _left(report)
    report["summary"]["port"] = port_summary(report, routes, routes_ported, effort.estimate(left, lines))


def merge_port(report: dict[str, Any], inputs: list[dict[str, Any]]) -> None:
    """`summary.port` of a merged report, when every input has one: the counts from the findings' own
    `ported`, the routes added up, and what remains estimated as the merge estimates (one application's
    findings as one, a portfolio's as the sum of its applications', effort.estimate_portfolio)."""
    if not inputs or not all("port" in i.get("summary", {}) for i in inputs):
        return
    for finding in report["findings"]:
        finding.setdefault("ported", False)
    rest = effort.estimate_portfolio(_left(i) for i in inputs) if len(inputs) > 1 else effort.estimate(*_left(report))
    report["summary"]["port"] = port_summary(report, sum(i["summary"]["port"]["routes"] for i in inputs),
                                             sum(i["summary"]["port"]["routes_ported"] for i in inputs), rest)


def _left(report: dict[str, Any]) -> tuple[list[effort.Place], dict[str, int]]:
    """The counted findings the port does not rewrite, as the effort model takes them, and the lines per file."""
    places = [effort.Place(f["path"], f["code"], f["effort"], f["verdict"]) for f in report["findings"]
              if not f["suppressed"] and not f.get("ported")]
    return places, {f["path"]: f["lines"] for f in report.get("files", ())}


def port_summary(report: dict[str, Any], routes: int, routes_ported: int, rest: effort.Estimate) -> dict[str, Any]:
    counted = [f for f in report["findings"] if not f["suppressed"]]
    done = [f for f in counted if f.get("ported")]
    left = [f for f in counted if not f.get("ported")]
    remaining = rest.as_dict()
    return {
        "findings": len(done),
        "story_points": sum(f["effort"] for f in done),
        "files": len({f["path"] for f in done}),
        "routes": routes,
        "routes_ported": routes_ported,
        "remaining": {
            "findings": len(left),
            "story_points": sum(f["effort"] for f in left),
            "estimate_days": remaining["estimate_days"],
            "estimate_range": remaining["estimate_range"],
            "estimate_text": remaining["estimate_text"],
        },
    }


def port_lines(summary: dict[str, Any]) -> list[str]:
    """The port's part in words, for every format (plain text: each escapes it): empty without `--port`."""
    port = summary.get("port")
    if not port:
        return []
    left = port["remaining"]
    return [
        f"migrate-audit port rewrites {port['findings']:,} of {summary['findings']:,} findings "
        f"({port['story_points']:,} of {summary['story_points']:,} story points) and converts "
        f"{port['routes_ported']:,} of {port['routes']:,} routes fully.",
        f"Left for people: {left['findings']:,} findings, {left['story_points']:,} story points; "
        f"effort {left['estimate_text']}.",
    ]
