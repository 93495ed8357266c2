"""One Python file's analysis, end to end: source text in, findings out. No I/O, no imports of scanned code.

One parse per file (tree-sitter through ast-grep-py), one query per round of name resolution: the
engine asks for every identifier whose text is a name bound to a Flask object, resolves each one's
attribute chain (`request.args.get` -> `flask.request`, `flask.request.args`, ...) and runs the matchers
registered for those qualified names. Files that never mention Flask are never parsed at all.

This module only orders the steps; each lives in its own module: `bindings` (imports bound, names
resolved), `syntax_check` (Python's own verdict on the syntax), `dispatch` (the rules run),
`findings` (hits become findings), over `scopes` (parents and enclosing functions) and the rule API in
`api`.
"""
from __future__ import annotations

from dataclasses import replace

from ast_grep_py import SgNode

from . import helper_methods, registry
from .api import Chain, Hit
from .api import FileContext
from .attributes import attribute_uses
from .bindings import FIRST_QUERY, VIA, Bound, bind_imports, resolve_bindings
from .flow import as_exports, bind_parameters, call_facts, note_parameters, received
from .testclients import follow_test_clients
from .dispatch import add_file_hits, add_use_hits, import_hits
from .findings import to_findings
from .model import Diagnostic, FileResult, Rule, SyntaxCheck
from .index.resolve import ProjectIndex, RecordingIndex
from .source import normalize_newlines, without_surrogates
from .syntax_check import PYTHON_SYNTAX_CHECK_MAX_CHARS, check_syntax
from .template_facts import declared_template_folders, route_parameter_names, template_context_names

__all__ = ["FIRST_QUERY", "PYTHON_SYNTAX_CHECK_MAX_CHARS", "analyze_python", "analyze_python_checked"]


def analyze_python(text: str, relpath: str, index: ProjectIndex | None = None, *,
                   known_valid: bool = False, exports_only: bool = False) -> FileResult:
    """Analyse one Python file's text. `relpath` is the path reports show (relative, `/`-separated).

    `known_valid=True` says the caller has already compiled this exact text (flake8 runs tree plugins
    only on files that parse), which skips the syntax check: a third of the flake8 plugin's time.
    `exports_only=True` stops once names are resolved: no syntax check, no rule, no finding, only what
    other files depend on (exports, re-exports, index answers, imports, template facts), as a full
    analysis would give it (`complete` is False). A sharded scan uses it for the files another shard reports.
    """
    return analyze_python_checked(text, relpath, index, SyntaxCheck() if known_valid or exports_only else None,
                                  exports_only=exports_only)[0]


def analyze_python_checked(text: str, relpath: str, index: ProjectIndex | None = None,
                           syntax: SyntaxCheck | None = None, *,
                           exports_only: bool = False) -> tuple[FileResult, SyntaxCheck]:
    """`analyze_python`, and the file's syntax check. `syntax` is that check when the caller already has
    it for this exact text (a file analysed again because the project index changed): it does not depend
    on the index, and it is the costliest step of an analysis. None: run it."""
    registry.load()
    result = FileResult(path=relpath, kind="python")
    text = normalize_newlines(without_surrogates(text))  # UTF-8 for tree-sitter; lines as editors count them
    recorder = RecordingIndex(index)
    bound = bind_imports(text, relpath, recorder)
    ctx = bound.ctx
    if syntax is None:
        syntax = SyntaxCheck() if exports_only else check_syntax(text, relpath, ctx.root)
    ctx.syntax = syntax
    if ctx.syntax.kind:
        result.diagnostics.append(Diagnostic(relpath, ctx.syntax.kind, ctx.syntax.message, ctx.syntax.line))
    result.imports = sorted(bound.imported_modules)
    # What the template pass needs from Python code (filekinds/templates.py): where templates live, and
    # which `url_for` keyword arguments are path parameters.
    if "template_folder" in text:
        result.template_folders = declared_template_folders(ctx.root, relpath)
    if "<" in text:
        result.path_parameters = route_parameter_names(text)
    if "template" in text:
        result.template_context = template_context_names(text)
    if exports_only:
        # Matchers never change bindings (only name resolution does), so the exports are the same.
        result.exports = _resolve(ctx, bound, {}, recorder)
        result.project_imports = bound.project_imports
        result.index_answers = recorder.answers
        result.complete = False
        return result, ctx.syntax
    # Import matchers run once every import is bound: whether a file uses Flask can depend on a later one.
    hits: list[tuple[Rule, Hit]] = import_hits(bound.import_bindings, ctx, result)

    uses: dict[SgNode, Chain] = {}
    result.exports = _resolve(ctx, bound, uses, recorder)

    vias: dict[SgNode, str] = ctx.memo.get(VIA, {})
    for node, chain in uses.items():
        start = len(hits)
        add_use_hits(chain, ctx, result, hits)
        via = vias.get(node)
        for i in range(start, len(hits)) if via else ():
            hits[i] = (hits[i][0], replace(hits[i][1], via=via))
    add_file_hits(ctx, result, hits)

    result.findings = to_findings(hits, ctx)
    result.blueprints = sorted(set(ctx.blueprints))
    result.project_imports = bound.project_imports
    result.index_answers = recorder.answers
    result.assumed_project_flask = ctx.project_uses_flask if ctx.consulted_project_flask else None
    return result, ctx.syntax


_MAX_FLOW_ROUNDS = 4  # an app passed on from function to function within one file: `init(app)` -> `hooks(app)`


def _resolve(ctx: FileContext, bound: Bound, uses: dict[SgNode, Chain], index: RecordingIndex) -> dict[str, str]:
    """Resolve the file's names, with the parameters its functions are passed an app in (flow.py), the
    attributes its classes hold one in (attributes.py) and the test clients and responses of its tests
    (testclients.py), and give its exports: module-level names, the facts about its calls of project
    functions, a conftest's fixtures."""
    resolve_bindings(ctx, uses, bound.hinted_uses, hint_names=bound.hint_names, searched=bound.searched)
    held = attribute_uses(ctx, uses, index)
    facts = call_facts(ctx, uses, bound.project_imports, index, held)
    received_facts = received(ctx, index, facts) if ctx.functions else {}
    for _ in range(_MAX_FLOW_ROUNDS):
        fresh = bind_parameters(ctx, received_facts)
        if not fresh:
            break
        ctx.bindings.update(fresh)
        resolve_bindings(ctx, uses, fresh=fresh)
        held = attribute_uses(ctx, uses, index) or held
        facts = call_facts(ctx, uses, bound.project_imports, index, held)
        received_facts = received(ctx, index, facts)
    note_parameters(ctx, uses)
    exports = {name: qual for name, qual in ctx.bindings.items() if name not in ctx.scoped}
    exports.update(as_exports(facts))
    exports.update(helper_methods.exports(ctx))
    # Last: the test clients are followed from the app wherever the steps above found it.
    exports.update(follow_test_clients(ctx, uses, index, bound.project_imports))
    return exports
