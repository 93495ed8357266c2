"""Running the rules on one file: each matcher the registry holds for what the file contains, with its
exceptions contained.

Import matchers run on each import binding, use matchers on each level of each use's attribute chain
(`request`, `request.args`, `request.args.get`), the fallback (`registry.on_unmatched`) on a chain no use
matcher covers, file matchers once on the whole file. A matcher that raises becomes a `rule-error`
diagnostic of this file: a rule bug never stops the scan.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable

from . import names, registry
from .api import Chain, FileContext, Hit, Use
from .model import Diagnostic, FileResult, Rule
from .resolve import ImportBinding

RuleHits = list[tuple[Rule, Hit]]


def import_hits(bindings: Iterable[ImportBinding], ctx: FileContext, result: FileResult) -> RuleHits:
    hits: RuleHits = []
    for binding in bindings:
        for rule_, func in registry.IMPORT_MATCHERS.get(names.root_module(binding.qual), ()):
            hits.extend(_guarded(rule_, func, Use(binding.qual, binding.node, ctx), ctx, result))
    return hits


def add_use_hits(chain: Chain, ctx: FileContext, result: FileResult, hits: RuleHits) -> None:
    """Add to `hits` what the matchers of each level of one use's attribute chain report."""
    covered = False
    for qual, level_node in chain:
        matchers = registry.USE_MATCHERS.get(qual)
        if not matchers:
            continue
        covered = True
        use = Use(qual, level_node, ctx)
        for rule_, func in matchers:
            hits.extend(_guarded(rule_, func, use, ctx, result))
    if not covered:
        for rule_, func in registry.UNMATCHED_MATCHERS:
            hits.extend(_guarded(rule_, func, chain, ctx, result))


def add_file_hits(ctx: FileContext, result: FileResult, hits: RuleHits) -> None:
    for rule_, func in registry.FILE_MATCHERS:
        hits.extend(_guarded(rule_, func, ctx, ctx, result))


def _guarded(rule_: Rule, func: Callable[[Any], Iterable[Hit]], subject: Any, ctx: FileContext,
             result: FileResult) -> RuleHits:
    """Run one matcher; an exception becomes a diagnostic for this file and rule, not a crash."""
    try:
        return [(rule_, hit) for hit in func(subject)]
    except BaseException as exc:  # noqa: BLE001 - a rule bug must never stop the scan
        if not (isinstance(exc, Exception) or type(exc).__name__ == "PanicException"):
            raise  # Ctrl-C, SIGTERM: not the rule's fault
        result.diagnostics.append(
            Diagnostic(ctx.path, "rule-error", f"{rule_.code} raised {type(exc).__name__}: {exc}")
        )
        return []
