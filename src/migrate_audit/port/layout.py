"""The lines the port writes, as ruff's formatter (and Black) writes them: their quotes, their length.

Only the port's own lines: a project's code the port did not touch keeps its layout, however long, whatever
its quotes (port/edits.py passes the lines its edits wrote).

Quotes: a string the port wrote takes the quotes the file uses most (ruff's formatter would give it
double quotes; a project that uses single ones formats with `quote-style = "single"`), unless the other
quote is inside it.

Length: a line longer than LINE_LENGTH is split with Black's "right hand split": the line's last bracket pair
(a `def`'s parameters) is opened, its contents go on the next line, indented, and the closing bracket with
whatever follows it (`:`, a trailing comment) on the line after; contents still too long are one item a line,
each followed by a comma (a collection literal's items always are). Only the shapes this reproduces exactly are
split: the contents may hold no comprehension, lambda or walrus of their own, and where they are one item too
long, that item must be one bracketed call or literal to split in turn. Any other long line is left as it is:
a long line is a style matter, a wrong split would not be.
"""
from __future__ import annotations

import io
import tokenize

LINE_LENGTH = 88  # ruff's and Black's default
_OPEN, _CLOSE = "([{", ")]}"
_COMPOUND = frozenset({"if", "elif", "while", "for", "with", "assert", "del", "else", "try", "except", "class"})
# the operators a line may have before the bracket it is split at (an attribute, an assignment, an annotation, a
# decorator, a return annotation), and an item split in turn (a keyword argument, an attribute)
_PRAGMAS = ("type:", "noqa", "NOQA", "pyright:", "pylint:", "nosec", "isort:", "ruff:")
_HEAD_OPS = frozenset({*_OPEN, *_CLOSE, ".", "=", ":", "@", "->"})
_ITEM_OPS = frozenset({*_OPEN, *_CLOSE, ".", "="})
_STRING_STARTS = frozenset(getattr(tokenize, name) for name in ("FSTRING_START", "TSTRING_START") if hasattr(tokenize, name))
_STRING_ENDS = frozenset(getattr(tokenize, name) for name in ("FSTRING_END", "TSTRING_END") if hasattr(tokenize, name))
_KEYWORDS = frozenset({"return", "yield", "await", "in", "and", "or", "not", "if", "else", "is", "raise", "assert",
                       "del", "lambda", "from"})
_OPERATORS = frozenset({"and", "or", "not", "in", "is", "if", "else", "lambda", "await"})


def quote_lines(text: str, lines: set[int], original: str) -> str:
    """`text` with the strings on its `lines` (0-based) in the quotes `original` (the file before the port)
    uses most."""
    physical = text.split("\n")
    written = [physical[line] for line in lines if line < len(physical)]
    if not any("'" in line for line in written) and not any('"' in line for line in written):
        return text
    wanted = quote_of(original)
    other = "'" if wanted == '"' else '"'
    if not any(other in line for line in written):
        return text
    changes: dict[int, list[tuple[int, int, str]]] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            line = token.start[0] - 1
            if token.type != tokenize.STRING or line not in lines or token.end[0] != token.start[0]:
                continue
            prefix = token.string[: len(token.string) - len(token.string.lstrip("rRbBuUfF"))]
            body = token.string[len(prefix):]
            if body[:1] != other or body[:3] == other * 3 or wanted in body or "\\" in body:
                continue
            changes.setdefault(line, []).append((token.start[1], token.end[1], prefix + wanted + body[1:-1] + wanted))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return text
    for line, spans in changes.items():
        source = physical[line]
        for start, end, string in sorted(spans, reverse=True):
            source = source[:start] + string + source[end:]
        physical[line] = source
    return "\n".join(physical)


def quote_of(text: str) -> str:
    """The quote most of the one-line strings of `text` are in (double on a tie, as ruff's formatter)."""
    counts = {"'": 0, '"': 0}
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.STRING:
                body = token.string.lstrip("rRbBuUfF")
                if body[:3] not in ("'''", '"""'):
                    counts[body[:1]] = counts.get(body[:1], 0) + 1
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    return "'" if counts["'"] > counts['"'] else '"'


def wrap_lines(text: str, lines: set[int]) -> str:
    """`text` with each of `lines` (0-based) that is a whole statement on one line, and too long, split."""
    physical = text.split("\n")
    long = sorted(line for line in lines if line < len(physical) and len(physical[line]) > LINE_LENGTH)
    if not long:
        return text
    statements = _one_line_statements(text)
    for line in reversed(long):  # from the end: the line numbers before stay right
        tokens = statements.get(line)
        if tokens is None:
            continue
        source = physical[line]
        indent = source[: len(source) - len(source.lstrip())]
        comment = ""
        if tokens[-1].type == tokenize.COMMENT:
            comment = "  " + tokens[-1].string
            tokens = tokens[:-1]
        split = _split(indent, [(t.string, t.start[1], t.end[1], t.type) for t in tokens], source, comment)
        if split is not None:
            physical[line:line + 1] = split
    return "\n".join(physical)


def _one_line_statements(text: str) -> dict[int, list[tokenize.TokenInfo]]:
    """0-based line -> its tokens (comment included), for each logical line that is one physical line."""
    found: dict[int, list[tokenize.TokenInfo]] = {}
    current: list[tokenize.TokenInfo] = []
    opened: list[tokenize.TokenInfo] = []  # f-strings (t-strings) open: tokenized in parts since Python 3.12
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type in (tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING):
                continue
            if token.type in _STRING_STARTS:
                opened.append(token)
                continue
            if opened:  # the braces inside are no brackets to split at: the whole string is one token
                if token.type in _STRING_ENDS:
                    start = opened.pop()
                    if not opened:
                        current.append(tokenize.TokenInfo(tokenize.STRING, "", start.start, token.end, start.line))
                continue
            if token.type in (tokenize.NL, tokenize.NEWLINE):
                if token.type == tokenize.NEWLINE and current and current[0].start[0] == token.start[0] \
                        and all(t.start[0] == t.end[0] == token.start[0] for t in current):
                    found[token.start[0] - 1] = current
                if token.type == tokenize.NEWLINE or all(t.type == tokenize.COMMENT for t in current):
                    current = []  # a statement ends, or a line of comments alone does
                continue
            current.append(token)
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return found
    return found


Token = tuple[str, int, int, int]  # text, start column, end column, type


def _render(source: str, tokens: list[Token]) -> str:
    return source[tokens[0][1]:tokens[-1][2]] if tokens else ""


def _width(comment: str) -> int:
    """What a trailing comment counts for in a line's length: nothing when it is a pragma (ruff's formatter
    does not count `# type: ...`, `# noqa` and the like)."""
    return 0 if comment.lstrip(" #").startswith(_PRAGMAS) else len(comment)


def _split(indent: str, tokens: list[Token], source: str, comment: str) -> list[str] | None:
    if len(indent) + len(_render(source, tokens)) + _width(comment) <= LINE_LENGTH:
        return [indent + _render(source, tokens) + comment]
    depth, pairs, stack = 0, [], []
    for at, (string, _, _, kind) in enumerate(tokens):
        if kind == tokenize.OP and string in _OPEN:
            stack.append(at)
            depth += 1
        elif kind == tokenize.OP and string in _CLOSE:
            if not stack:
                return None
            opened = stack.pop()
            depth -= 1
            if depth == 0:
                pairs.append((opened, at))
    if stack or not pairs:
        return None
    if tokens[0][0] in ("def", "async"):  # a def's parameters, not its return annotation's brackets
        opened, closed = pairs[0]
    elif tokens[0][0] in _COMPOUND:
        return None  # Black splits a condition in parentheses of its own
    else:
        opened, closed = pairs[-1]
        if any(kind not in (tokenize.OP,) or string not in (":", ",", ")") for string, _, _, kind in tokens[closed + 1:]):
            return None  # something after the last bracket (`x = f(a) + b`): Black splits elsewhere
    head, body, tail = tokens[:opened + 1], tokens[opened + 1:closed], tokens[closed:]
    if any(kind == tokenize.OP and string not in _HEAD_OPS or string in _OPERATORS
           for string, _, _, kind in _depth_zero(head[:-1])):
        return None  # `return a + f(...)`, `x = a if b else f(...)`: Black splits at the operator
    head_line = indent + _render(source, head)
    tail_line = indent + _render(source, tail) + comment
    if not body or len(head_line) > LINE_LENGTH or len(tail_line) - len(comment) + _width(comment) > LINE_LENGTH:
        return None
    inner = indent + "    "
    # a collection literal (not a call's or a subscript's bracket) whose contents split is one item a line
    trailer = opened > 0 and (tokens[opened - 1][3] in (tokenize.NAME, tokenize.STRING) and tokens[opened - 1][0]
                              not in _KEYWORDS or tokens[opened - 1][0] in _CLOSE) and tokens[opened][0] != "{"
    lines = _contents(inner, body, source, explode=not trailer)
    if lines is not None and len(lines) == 1 and tokens[0][0] in ("def", "async") and \
            not any(token[0] == "," for token in _depth_zero(body)):
        # one parameter on its own line gets a comma after it (Black's, for a def)
        lines = [lines[0] + ","] if len(lines[0]) < LINE_LENGTH else None
    return None if lines is None else [head_line, *lines, tail_line]


def _contents(indent: str, body: list[Token], source: str, explode: bool = False) -> list[str] | None:
    """The lines of a bracket's contents, at `indent`; `explode`: one item a line when they have commas."""
    depth = 0
    commas = []
    for at, (string, _, _, kind) in enumerate(body):
        if kind == tokenize.OP and string in _OPEN:
            depth += 1
        elif kind == tokenize.OP and string in _CLOSE:
            depth -= 1
        elif depth == 0 and (kind == tokenize.NAME and string in ("for", "lambda") or string in (":=",)):
            return None  # a comprehension or lambda: Black splits it at its own delimiters
        elif depth == 0 and kind == tokenize.OP and string == ",":
            commas.append(at)
    # a magic trailing comma, or a literal's items: one item a line
    trailing = bool(commas) and (commas[-1] == len(body) - 1 or explode)
    if not trailing and len(indent) + len(_render(source, body)) <= LINE_LENGTH:
        return [indent + _render(source, body)]
    if not commas:  # one item: it splits in turn when it is one bracketed call or literal
        if any(kind == tokenize.OP and string not in _ITEM_OPS for string, _, _, kind in _depth_zero(body)):
            return None
        return _split(indent, body, source, "")
    items, start = [], 0
    for comma in commas + ([] if commas and commas[-1] == len(body) - 1 else [len(body)]):
        if comma > start:
            items.append(body[start:comma])
        start = comma + 1
    lines: list[str] = []
    for item in items:
        split = _split(indent, [*item, (",", item[-1][2], item[-1][2] + 1, tokenize.OP)],
                       source[:item[-1][2]] + "," + source[item[-1][2] + 1:], "")
        if split is None:
            return None
        lines += split
    return lines


def _depth_zero(tokens: list[Token]) -> list[Token]:
    depth, found = 0, []
    for token in tokens:
        if token[3] == tokenize.OP and token[0] in _CLOSE:
            depth -= 1
        if depth == 0:
            found.append(token)
        if token[3] == tokenize.OP and token[0] in _OPEN:
            depth += 1
    return found
