"""What a scan knows of one file between its phases, and between runs (the result cache, the flake8
plugin's project store): a small module of plain data, so that reading a stored summary imports
neither the engine nor the scan's machinery (the flake8 plugin's start-up time in an editor)."""
from __future__ import annotations

from dataclasses import dataclass, field

from .result_cache import content_hash
from ..model import FileResult, SourceFile, SyntaxCheck


@dataclass
class FileSummary:
    """What the text of one file says (read once, never parsed here), and its latest analysis."""

    source: SourceFile
    module: str
    result: FileResult  # lines and read diagnostics; the final result for files never analysed
    digest: str = ""  # content hash, for the cache
    readable: bool = False
    interest: bool = False  # mentions Flask, Werkzeug, Quart or an extension module
    mentions_flask: bool = False
    imported: frozenset[tuple[str, str]] = frozenset()  # (module, name) of each `from module import name`
    imported_modules: frozenset[str] = frozenset()
    # Those imported at module level: what its exports can depend on, so what orders the analyses.
    module_level_imports: frozenset[str] = frozenset()
    exports: dict[str, str] = field(default_factory=dict)
    project_imports: dict[str, tuple[str, str]] = field(default_factory=dict)
    # The latest analysis; it stands while the project index gives the answers it was made with.
    analysis: FileResult | None = None
    # Python's syntax check of the text of the latest analysis, and the content hash of that text's
    # bytes: an analysis made again because the index changed reuses the check for the same bytes.
    syntax: SyntaxCheck | None = None
    analysed_digest: str = ""
    # `text_digest` of the text of the latest analysis, where `index_project` made it: the flake8 plugin
    # reuses the analysis for a linted text with this digest.
    analysed_text: str = ""


def text_digest(text: str) -> str:
    """A hash of a text as given to `analyze_python`: equal digests, equal analyses (same index)."""
    return content_hash(text.encode("utf-8", "surrogatepass"))
