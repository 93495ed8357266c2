"""JSON text that is valid UTF-8 whatever strings the report holds.

Lone surrogates (a file name's undecodable bytes kept by `os.fsdecode`, or a surrogate character in
scanned text) make `json.dumps(..., ensure_ascii=False)` output that cannot be encoded as UTF-8, and
`ensure_ascii=True` output (`"\\udcff"`) that strict parsers reject. The engine and discovery already
replace them; this is the last line of defence for every JSON format (JSON report, baseline, SARIF).
"""
from __future__ import annotations

import json
import re
from typing import Any

from ..source import printable_path

_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def dumps(obj: Any, **kwargs: Any) -> str:
    """`json.dumps` with `ensure_ascii=False`; each lone surrogate becomes the text `\\xNN` (its byte)."""
    text = json.dumps(obj, ensure_ascii=False, **kwargs)
    if not _SURROGATE_RE.search(text):
        return text
    # Surrogates can only be inside JSON strings, where a backslash must itself be escaped.
    return _SURROGATE_RE.sub(lambda m: printable_path(m.group()).replace("\\", "\\\\"), text)
