"""Cheap textual checks that prove a file cannot produce a finding, so it is never parsed.

Every check is conservative: it may let through a file that has nothing (it is then parsed for
nothing), but never holds back a file the full analysis would report on. `tests/test_prefilter.py`
checks that on every fixture and the sample app. Substring tests (`in`) run at memory speed; a regex is
used only to confirm short words on a word boundary.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from . import names
from .ecosystem import CORS_KEY_PREFIX
from .index.resolve import ProjectIndex, absolute_module, module_name_for

_SHORT = 4  # words this short (`rq`) are confirmed with a word-boundary regex


@functools.lru_cache(maxsize=None)
def _interest_words() -> tuple[tuple[str, ...], tuple[str, ...], re.Pattern[str] | None]:
    words = sorted(names.interest_roots() | {"flask", CORS_KEY_PREFIX})
    # A word containing another one (`flask_login` contains `flask`) is found by that one: checking it
    # too would scan every file's text once more for nothing (51 words became 10: -40 % of the check's time).
    candidates = [w for w in words if len(w) > _SHORT]  # short ones match on word boundaries only
    # `flask` first: most files that mention any word mention it, and the first word found ends the scans.
    long_words = tuple(sorted((w for w in candidates if not any(o != w and o in w for o in candidates)),
                              key=lambda w: (w != "flask", w)))
    short_words = tuple(w for w in words if len(w) <= _SHORT)
    short = re.compile(r"\b(?:" + "|".join(map(re.escape, short_words)) + r")\b") if short_words else None
    return long_words, short_words, short


def mentions_interest(text: str) -> bool:
    """True when the text names Flask, Werkzeug, Quart or a catalogue extension's module, or holds a
    Flask-CORS configuration key (a config class need not import Flask)."""
    long_words, short_words, short = _interest_words()
    if any(word in text for word in long_words):
        return True
    # The regex (a word boundary first: tried at every position) only when a short word is in the text.
    return short is not None and any(word in text for word in short_words) and short.search(text) is not None


@dataclass(frozen=True)
class TextImport:
    module: str  # absolute module name
    name: str  # the imported name (`db` in `from .extensions import db as database`); "" for `import x`
    local: str  # the name it is bound to in this module
    # Written at the start of its line: a module-level import, not one inside a function, class or
    # `if TYPE_CHECKING:` block (or a `try:`, which this cannot tell apart).
    unindented: bool = True


_FROM_RE = re.compile(r"from[ \t]+([.\w]+)[ \t]+import[ \t]*(\([^)]*\)|(?:[^\n\\]|\\\n)*)")
_IMPORT_RE = re.compile(r"import[ \t]+((?:[^\n\\;]|\\\n)*)")


def text_imports(text: str, current_module: str, is_package: bool) -> list[TextImport]:
    """The imports of a module read from its text, without parsing it. Lines are located with `find`,
    so the cost is a few C-level scans per file. Good enough for pre-filtering and re-exports; the parser
    decides everything that becomes a finding."""
    found: list[TextImport] = []
    position = text.find("import")
    while position != -1:
        line_start = text.rfind("\n", 0, position) + 1
        prefix = text[line_start:position]
        head = prefix.strip()
        if head.startswith("from "):
            match = _FROM_RE.match(text, line_start + len(prefix) - len(prefix.lstrip()))
            if match:
                module = absolute_module(match.group(1), current_module, is_package)
                for item in match.group(2).strip("()").replace("\\\n", " ").split(","):
                    parts = item.split("#", 1)[0].split()
                    if not parts or parts[0] == "*":
                        continue
                    local = parts[2] if len(parts) == 3 and parts[1] == "as" else parts[0]
                    found.append(TextImport(module, parts[0], local, not prefix[:1].isspace()))
                position = text.find("import", match.end())
                continue
        elif head == "" or head.endswith(";"):
            match = _IMPORT_RE.match(text, position)
            if match:
                for item in match.group(1).replace("\\\n", " ").split(","):
                    parts = item.split("#", 1)[0].split()
                    if not parts:
                        continue
                    local = parts[2] if len(parts) == 3 and parts[1] == "as" else parts[0].partition(".")[0]
                    found.append(TextImport(parts[0], "", local, not prefix[:1].isspace()))
        position = text.find("import", position + 6)
    return found


def may_hold_findings(text: str, relpath: str, index: ProjectIndex | None) -> bool:
    """The pre-filter of a single file: it mentions Flask, or imports a name the index binds."""
    if mentions_interest(text):
        return True
    if index is None:
        return False
    module = module_name_for(relpath)
    imports = text_imports(text, module, relpath.endswith("__init__.py"))
    return any(item.name and index.lookup(item.module, item.name) for item in imports)
