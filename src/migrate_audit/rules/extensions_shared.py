"""FMA365-378: the catalogue's later records, one code per verdict and effort (`ecosystem/`, which
declares the codes). The FMA3xx band has no room for a code per distribution: the finding names the
distribution and its counterpart, the report's extension table lists each distribution on its own row,
and adoption is counted once per project and distribution as for FMA301-338 (extensions.py).
"""
from __future__ import annotations

from .. import ecosystem
from ..ecosystem import SHARED_CODES, Extension
from ..registry import on_import, rule
from .extensions import ADOPTION_MESSAGE, adoption_matcher, category_of

_FASTAPI = "https://fastapi.tiangolo.com"


def shared_rationale(records: tuple[Extension, ...]) -> str:
    """What a shared code stands for. A `none` code is a blocker, so it says, record by record, what FastAPI,
    Starlette and the maintained libraries cannot do: each record's `note`, quoted from the catalogue so the
    justification has one source."""
    names = ", ".join(sorted({r.distribution for r in records}, key=str.lower))
    text = (f"One code for the catalogue's later records of this verdict and effort ({names}): the finding names "
            "the distribution and its counterpart; the report's extension table gives each one's health and links.")
    if records[0].verdict == "none":
        text += " No counterpart: " + " ".join(f"{r.distribution}: {r.note}" for r in records)
    return text

for _code, _records in sorted(SHARED_CODES.items()):
    _verdict, _effort = _records[0].verdict, _records[0].effort
    _rule = rule(
        _code, f"flask-extension-{_verdict}-counterpart-{_effort}-points",
        f"Flask extension in use ({_verdict} counterpart, {_effort} points)", ADOPTION_MESSAGE, "{counterpart}",
        category_of(_verdict), _effort, _verdict,
        rationale=shared_rationale(_records),
        links=(f"{_FASTAPI}/alternatives/",), declared_in=ecosystem.__name__,
    )
    on_import(_rule, *{m.partition(".")[0] for r in _records for m in r.modules})(adoption_matcher(_code))


