"""JSON text that is valid UTF-8 whatever strings the report holds, written fast.

Lone surrogates (a file name's undecodable bytes kept by `os.fsdecode`, or a surrogate character in
scanned text) make `json.dumps(..., ensure_ascii=False)` output that cannot be encoded as UTF-8, and
`ensure_ascii=True` output (`"\\udcff"`) that strict parsers reject. The engine and discovery already
replace them; this is the last line of defence for every JSON format (JSON report, baseline, SARIF).

Speed: with `indent`, the standard library encodes in pure Python (its C encoder ignores indentation):
0.32 s for the 23 MB report of the bench corpus. orjson writes the same bytes in 0.03 s, so the two
layouts reports use, pretty (`indent=2`) and compact (`separators=(",", ":")`), both sorted, go through
it when it is installed (a dependency on CPython; no wheels elsewhere). Whatever it refuses (surrogates,
non-string keys, integers beyond 64 bits) takes the standard library's way. The two write floats
differently only where the value is the same (`1e-05` / `0.00001`), and reports hold no such floats.
"""
from __future__ import annotations

import json
import re
from typing import Any

from ..source import printable_path

try:
    import orjson
except ImportError:  # pragma: no cover - installed wherever wheels exist (CPython)
    orjson = None

_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def dumps(obj: Any, *, indent: int | None = None, sort_keys: bool = False,
          separators: tuple[str, str] | None = None) -> str:
    """`json.dumps` with `ensure_ascii=False`; each lone surrogate becomes the text `\\xNN` (its byte)."""
    fast = _orjson_bytes(obj, indent, sort_keys, separators, False)
    if fast is not None:
        return fast.decode("utf-8")
    return _stdlib_dumps(obj, indent, sort_keys, separators)


def dumps_utf8(obj: Any, *, indent: int | None = None, sort_keys: bool = False,
               separators: tuple[str, str] | None = None, newline: bool = False) -> bytes:
    """`dumps(...)` (and a final newline when `newline`) as UTF-8 bytes, the same bytes as
    `dumps(...).encode("utf-8")`: orjson's own output, never decoded to text and encoded again. The JSON
    report of the bench corpus is 24.5 MB of UTF-8, and as a `str` it took 2 or 4 bytes a character
    (any non-Latin-1 character in it does), then a third copy to be written: 94 MB of the parent's peak."""
    fast = _orjson_bytes(obj, indent, sort_keys, separators, newline)
    if fast is not None:
        return fast
    text = _stdlib_dumps(obj, indent, sort_keys, separators)
    return (text + "\n" if newline else text).encode("utf-8")


def _stdlib_dumps(obj: Any, indent: int | None, sort_keys: bool, separators: tuple[str, str] | None) -> str:
    text = json.dumps(obj, ensure_ascii=False, indent=indent, sort_keys=sort_keys, separators=separators)
    if not _SURROGATE_RE.search(text):
        return text
    # Surrogates can only be inside JSON strings, where a backslash must itself be escaped.
    return _SURROGATE_RE.sub(lambda m: printable_path(m.group()).replace("\\", "\\\\"), text)


def _orjson_bytes(obj: Any, indent: int | None, sort_keys: bool, separators: tuple[str, str] | None,
                  newline: bool) -> bytes | None:
    """The UTF-8 of `json.dumps`'s text through orjson, for the layouts it writes alike; else None."""
    if orjson is None:
        return None
    if indent == 2 and separators in (None, (",", ": ")):
        option = orjson.OPT_INDENT_2
    elif indent is None and separators == (",", ":"):
        option = 0
    else:
        return None
    if sort_keys:
        option |= orjson.OPT_SORT_KEYS
    if newline:
        option |= orjson.OPT_APPEND_NEWLINE
    try:
        return orjson.dumps(obj, option=option)
    except TypeError:  # orjson.JSONEncodeError: surrogates, non-string keys, huge integers
        return None
