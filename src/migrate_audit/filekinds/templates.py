"""Jinja templates: what Flask injects into every template and FastAPI's `Jinja2Templates` does not,
or does differently.

Starlette's `Jinja2Templates` puts `request` in the context (the endpoint must pass it) and a
`url_for(name, /, **path_params)` global that calls `request.url_for`: nothing else. Flask adds `g`,
`session`, `config`, `get_flashed_messages` and a `url_for` that takes Blueprint-dotted endpoints, query
arguments and `_external`; Flask-Login adds `current_user`, Flask-WTF `csrf_token()`, Flask-Babel the
gettext functions.

The template is read with Jinja's own lexer (`Environment.lex` positions, so raw blocks and comments are
never read as code) and parsed with its parser to report syntax errors; the facts come from the token
stream, so a template whose tags need an extension we do not have (`{% cache %}`, `{% assets %}`) is still
audited, with a diagnostic. The `template` text rules (rules/templates.py) read those facts: which names
the template takes from its context, and where.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from ..model import Diagnostic
from ._base import FileHit, run_text_rules


@functools.lru_cache(maxsize=None)
def jinja_environment() -> Any:
    """The Jinja environment that lexes and parses templates, made (and Jinja imported: 0.15 s with its
    lexer's regexes) only when a template is read; a warm re-scan takes every template from the cache."""
    import jinja2

    return jinja2.Environment(extensions=["jinja2.ext.i18n", "jinja2.ext.do", "jinja2.ext.loopcontrols"])


TEMPLATE_FOLDER_NAME = "templates"
TEMPLATE_SUFFIXES = (".html", ".htm", ".jinja", ".jinja2", ".j2", ".txt")
_STORE_INTRODUCERS = frozenset({"for", "set", "macro", "call", "import", "with"})


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ is ~2x slower, for every token
class Token:
    line: int
    column: int
    kind: str
    value: str


# The raw lexer output: (line, token kind, value as written).
RawToken = tuple[int, str, str]


def _lex(text: str, relpath: str) -> tuple[list[RawToken], Diagnostic | None]:
    """The template lexed once, for both our token reading and Jinja's parser, and a diagnostic when
    the lexer gives up half-way (the tokens before are kept)."""
    from jinja2 import TemplateSyntaxError

    raw: list[RawToken] = []
    try:
        raw.extend(jinja_environment().lexer.tokeniter(text, relpath))
    except TemplateSyntaxError as exc:
        return raw, Diagnostic(relpath, "syntax-error", f"Jinja cannot read this template past line "
                               f"{exc.lineno}: {exc.message}; audited up to there", exc.lineno or 0)
    return raw, None


def _tokens(text: str, raw: list[RawToken]) -> list[Token]:
    """Significant tokens with 1-based positions in `text`."""
    tokens: list[Token] = []
    offset = 0
    # Offsets only grow, so the line is counted from the previous token on, not from the start.
    line, line_start, counted_to = 1, 0, 0
    for _, kind, value in raw:
        found = text.find(value, offset) if value else offset
        if found < 0:
            found = offset
        offset = found + len(value)
        if kind in ("whitespace", "data", "comment", "comment_begin", "comment_end", "linecomment"):
            continue
        newlines = text.count("\n", counted_to, found)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", counted_to, found) + 1
        counted_to = found
        tokens.append(Token(line, found - line_start + 1, kind, value))
    return tokens


def _parse_diagnostic(raw: list[RawToken], relpath: str) -> Diagnostic | None:
    from jinja2 import TemplateSyntaxError
    from jinja2.lexer import TokenStream
    from jinja2.parser import Parser

    environment = jinja_environment()
    try:
        # What `Environment.parse` does, but from the tokens already lexed: the parser is made over
        # an empty source, then reads a stream built as `Lexer.tokenize` builds it. `Environment.
        # _tokenize` would also run the extensions' `preprocess` and `filter_stream`, which none of
        # ours defines (a test checks). The errors are the parser's own, with the same lines.
        parser = Parser(environment, "", relpath)
        parser.stream = TokenStream(environment.lexer.wrap(iter(raw), relpath), relpath, None)
        # `subparse`, not `parse`: the syntax check only; `parse` then walks the whole tree to attach
        # the environment, which nothing here reads.
        parser.subparse()
    except TemplateSyntaxError as exc:
        return Diagnostic(relpath, "syntax-error", f"Jinja syntax error (line {exc.lineno}): {exc.message} "
                          "(an extension's tag?); names were still read from the token stream", exc.lineno or 0)
    except Exception as exc:  # noqa: BLE001 - a parser crash must not lose the token-stream findings
        return Diagnostic(relpath, "syntax-error", f"Jinja's parser failed: {type(exc).__name__}: {exc}")
    return None


def _stored_names(tokens: list[Token]) -> set[str]:
    """Names a template binds itself (`{% for g in groups %}`, `{% set config = ... %}`, macro
    parameters, `import ... as x`): a use of those is not Flask's global."""
    stored: set[str] = set()
    for i, token in enumerate(tokens):
        if token.kind != "name":
            continue
        prev = tokens[i - 1] if i else None
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if prev is not None and prev.kind == "name" and prev.value in ("as",):
            stored.add(token.value)
        if prev is not None and prev.kind == "block_begin" and token.value in _STORE_INTRODUCERS:
            j = i + 1
            if token.value in ("macro", "call"):
                j = _macro_params(tokens, j, stored)
                continue
            while j < len(tokens) and tokens[j].kind != "block_end":
                if tokens[j].kind == "name" and tokens[j].value in ("in",) and token.value == "for":
                    break
                if tokens[j].kind == "operator" and tokens[j].value == "=":
                    break
                if tokens[j].kind == "name" and (token.value != "with" or (
                        j + 1 < len(tokens) and tokens[j + 1].value == "=")):
                    stored.add(tokens[j].value)
                j += 1
        if nxt is not None and nxt.value == "=" and prev is not None and prev.value in (",", "with"):
            stored.add(token.value)
    return stored


def _macro_params(tokens: list[Token], j: int, stored: set[str]) -> int:
    depth = 0
    while j < len(tokens) and tokens[j].kind != "block_end":
        tok = tokens[j]
        if tok.value == "(":
            depth += 1
        elif tok.value == ")":
            depth -= 1
        elif depth == 1 and tok.kind == "name" and tokens[j - 1].value in ("(", ","):
            stored.add(tok.value)
        j += 1
    return j


def call_arguments(tokens: list[Token], open_index: int) -> tuple[list[list[Token]], int]:
    """Top-level arguments of the call whose `(` is at `open_index`, and the index of its `)`."""
    args: list[list[Token]] = [[]]
    depth = 0
    j = open_index
    while j < len(tokens):
        tok = tokens[j]
        if tok.kind in ("variable_end", "block_end"):
            break
        if tok.value in ("(", "[", "{"):
            depth += 1
            if depth == 1:
                j += 1
                continue
        elif tok.value in (")", "]", "}"):
            depth -= 1
            if depth == 0:
                break
        if depth == 1 and tok.value == ",":
            args.append([])
        else:
            args[-1].append(tok)
        j += 1
    return [a for a in args if a], j


@dataclass
class TemplateFacts:
    """What the `template` text rules read (token indices into `tokens`)."""

    tokens: list[Token]
    # Names the template reads from its context (not a tag name, attribute, filter, test, keyword argument
    # or a name the template binds itself) -> where each use is.
    names: dict[str, list[int]] = field(default_factory=dict)
    # `.name(` method calls -> where each is (`form.hidden_tag()`).
    method_calls: dict[str, list[int]] = field(default_factory=dict)
    # Tag names (`{% trans %}`) -> where each tag is.
    tags: dict[str, list[int]] = field(default_factory=dict)
    # The names of every `<converter:name>` in the project's routes; None when unknown.
    path_parameters: frozenset[str] | None = None
    # Flask globals the project passes explicitly to its render calls.
    context_names: frozenset[str] = frozenset()

    def uses(self, name: str) -> list[int]:
        return self.names.get(name, [])

    def is_called(self, index: int) -> bool:
        return index + 1 < len(self.tokens) and self.tokens[index + 1].value == "("


def _facts(tokens: list[Token], path_parameters: frozenset[str] | None,
           context_names: frozenset[str]) -> TemplateFacts:
    facts = TemplateFacts(tokens, path_parameters=path_parameters, context_names=context_names)
    stored = _stored_names(tokens)
    for i, token in enumerate(tokens):
        if token.kind != "name":
            continue
        prev = tokens[i - 1] if i else None
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if prev is not None and prev.kind == "block_begin":
            facts.tags.setdefault(token.value, []).append(i)
            continue  # a tag name, never a variable
        if prev is not None and prev.value == "." and nxt is not None and nxt.value == "(":
            facts.method_calls.setdefault(token.value, []).append(i)
            continue
        if prev is not None and (prev.value in (".", "|") or (prev.kind == "name" and prev.value in ("is", "block", "endblock", "macro"))):
            continue  # an attribute, filter, test or block name
        if nxt is not None and nxt.value == "=" or token.value in stored:
            continue  # a keyword argument or a name the template binds itself
        facts.names.setdefault(token.value, []).append(i)
    return facts


def analyze_template(text: str, relpath: str, path_parameters: frozenset[str] | None = None,
                     context_names: frozenset[str] = frozenset()) -> tuple[list[FileHit], list[Diagnostic]]:
    """`path_parameters`: the names of every `<converter:name>` in the project's routes, so `url_for`
    keyword arguments that are path parameters are not flagged; None flags every keyword argument.
    `context_names`: Flask globals the project passes explicitly to its render calls (not flagged)."""
    raw, lex_problem = _lex(text, relpath)
    tokens = _tokens(text, raw)
    diagnostics = [lex_problem] if lex_problem else []
    if lex_problem is None:
        parse_problem = _parse_diagnostic(raw, relpath)
        if parse_problem:
            diagnostics.append(parse_problem)
    hits: list[FileHit] = run_text_rules("template", _facts(tokens, path_parameters, context_names))
    return hits, diagnostics


# --- where templates are ------------------------------------------------------------------------------

# Read from the Python code by the engine; here for the callers that look for them with the templates.
from ..template_facts import declared_template_folders, route_parameter_names, template_context_names  # noqa: E402,F401


def in_template_folder(relpath: str, declared: set[str]) -> bool:
    parts = relpath.split("/")[:-1]
    if TEMPLATE_FOLDER_NAME in parts:
        return True
    return any(relpath.startswith(folder.rstrip("/") + "/") for folder in declared if folder not in ("", "."))
