"""A folder of every hostile input of issue 8, built at test time (nothing large is committed).

`build_hostile_tree(folder)` writes it and returns what it made, so tests and `bench/hostile_scan.py`
share one definition. Names are stable: tests assert on them.
"""
from __future__ import annotations

import codecs
import os
import stat
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

FLASK_HEADER = "from flask import Flask, request\napp = Flask(__name__)\n"
MARKER_NAME = "IMPORTED-OR-EXECUTED"

# Source whose import or execution would leave a marker file next to it: proves the scan never runs it.
MARKER_SOURCE = (
    "import pathlib\n"
    f"pathlib.Path(__file__).with_name({MARKER_NAME!r}).write_text('executed')\n"
    + FLASK_HEADER
    + "x = request.args\n"
)


# Diagnostics that leave the file audited (findings kept, with lower confidence).
AUDITED_KINDS = ("syntax-error", "newer-syntax", "decode-error", "rule-error")


@dataclass
class HostileTree:
    root: Path
    audited: set[str] = field(default_factory=set)  # relpaths that must be audited
    not_audited: set[str] = field(default_factory=set)  # relpaths that must be in diagnostics instead
    diagnosed: dict[str, str] = field(default_factory=dict)  # relpath -> expected diagnostic kind
    undecodable_name: bool = False

    def expect(self, rel: str, kind: str | None = None) -> None:
        if kind is not None:
            self.diagnosed[rel] = kind
        (self.audited if kind is None or kind in AUDITED_KINDS else self.not_audited).add(rel)


def generated_module(megabytes: float) -> str:
    """A generated module of about `megabytes` MB: mostly data, a few Flask uses, like real generated code."""
    head = FLASK_HEADER + "x = request.args\n"
    row = "    ({i}, 'item number {i}', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], {{'k': {i}, 'v': 'value {i}'}}),\n"
    rows = []
    size = len(head)
    i = 0
    while size < megabytes * 1024 * 1024:
        line = row.format(i=i)
        rows.append(line)
        size += len(line)
        i += 1
    return head + "DATA = [\n" + "".join(rows) + "]\ny = request.form\n"


def deep_sources(depth: int = 10_000) -> dict[str, str]:
    """Expressions nested `depth` deep, in the shapes that exhaust recursive parsers and visitors."""
    return {
        "deep_parens.py": "x = " + "(" * depth + "request.args" + ")" * depth + "\n",
        "deep_lists.py": "x = " + "[" * depth + "request.args" + "]" * depth + "\n",
        "deep_binop.py": "x = request.args" + " + 1" * depth + "\n",  # left-nested: the use is deepest
        "deep_unary.py": "x = " + "-" * depth + "request.args\n",
        "deep_boolop.py": "x = " + " and ".join(["a"] * depth) + " and request.args\n",
        "deep_attr.py": "x = request" + ".a" * depth + "\n",
        "deep_calls.py": "x = " + "f(" * depth + "request.args" + ")" * depth + "\n",
        "deep_lambda.py": "x = " + "lambda: " * depth + "request.args\n",
    }


def growing_sources(n: int) -> dict[str, str]:
    """Sources whose size grows linearly with `n`, in the shapes where a per-node walk once cost the
    node's depth or column (quadratic in all): nesting, many uses each deeper than the last, one long
    line, long chains. Each has Flask uses (after `FLASK_HEADER`) that the engine must resolve."""
    return {
        **{name.removesuffix(".py"): body for name, body in deep_sources(n).items()},
        "lambda_params": "x = " + "".join(f"lambda a{i}: " for i in range(n)) + "request.args\n",
        "calls_each_using": "x = " + "f(request, " * n + "request.args" + ")" * n + "\n",
        "lambdas_each_using": "x = " + "f(request, lambda: " * n + "request.args" + ")" * n + "\n",
        "uses_after_nested_lambdas": "x = f(" + "lambda: f(" * n + "0" + "), request.form" * n + ")\n",
        "one_long_line": "x = [" + "request.args, " * n + "]\n",
        "chained_assignment": "def f():\n    " + "a = " * n + "request.args\n",
        "comprehension_variable": "x = " + "lambda: " * n + "[request for request in y]\n",
        "elif_chain": "if a:\n    pass\n" + "".join(f"elif a == {i}:\n    y = request.args\n" for i in range(n)),
        "sibling_functions": "".join(f"def f{i}(x):\n    y = 1\n    return request.args\n" for i in range(n)),
        # Rules that look around a use: the view it is in, the statement, the method chain, the function called.
        "url_for_each_deeper": "from flask import url_for\nx = " + "f(url_for('a', _external=True), " * n + "0"
        + ")" * n + "\n",
        "middleware_deep": "from werkzeug.middleware.proxy_fix import ProxyFix\nx = " + "f(" * n + "ProxyFix(app)"
        + ")" * n + "\n",
        "responses_each_deeper": "from flask import Response\nx = " + "f(Response(g()), " * n + "0" + ")" * n + "\n",
        "query_chain": "from flask_sqlalchemy import SQLAlchemy\ndb = SQLAlchemy()\nclass B(db.Model): pass\n"
        + "x = B.query" + ".filter(1)" * n + ".paginate()\n",
        "sibling_routes": "".join(f"@app.route('/{i}')\ndef f{i}():\n    return request.args\n" for i in range(n)),
    }


def nested_defs(n: int) -> str:
    """`n` functions each defined in the previous one, each using `request`: the source grows as n²
    (indentation), so an analysis linear in its input grows four times from `n` to `2n`."""
    return "".join(" " * i + f"def f{i}():\n" + " " * (i + 1) + "y = request.args\n" for i in range(n))


def growth(run: Callable[[int], object], n: int, rounds: int = 3) -> float:
    """CPU time of `run(2 * n)` over that of `run(n)`, the best of `rounds` each, alternated so that a
    busy moment of the machine costs both sizes alike: about 2 when `run` is linear, 4 when quadratic.
    No absolute time: the verdict does not depend on the machine's speed."""
    best = {n: float("inf"), 2 * n: float("inf")}
    run(n)  # warm up: imports, compiled patterns, the registry
    for _ in range(rounds):
        for size in best:
            started = time.process_time()
            run(size)
            best[size] = min(best[size], time.process_time() - started)
    return best[2 * n] / max(best[n], 1e-3)


def build_hostile_tree(folder: Path, big_megabytes: float = 20, depth: int = 10_000) -> HostileTree:
    folder.mkdir(parents=True, exist_ok=True)
    tree = HostileTree(folder)

    def write(rel: str, data: bytes | str, kind: str | None = None) -> None:
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)
        tree.expect(rel, kind)

    # Syntax.
    write("syntax/py2_print.py", FLASK_HEADER + "print 'hello'\n", "syntax-error")
    write("syntax/py2_except.py", FLASK_HEADER + "try:\n    pass\nexcept ValueError, e:\n    pass\n", "syntax-error")
    write("syntax/py2_backticks.py", FLASK_HEADER + "x = `request.args`\n", "syntax-error")
    write("syntax/broken.py", FLASK_HEADER + "def f(:\n    return request.args\n", "syntax-error")
    write("syntax/match.py", FLASK_HEADER + "match request.method:\n    case 'GET':\n        pass\n")
    write("syntax/pep695.py", FLASK_HEADER + "type Handler = int\n"
          "def first[T](items: list[T]) -> T:\n    return items[0]\n",
          "newer-syntax" if sys.version_info < (3, 12) else None)
    write("syntax/pep701.py", FLASK_HEADER + "x = f\"{'\\n'.join(request.args)}\"\n",
          "newer-syntax" if sys.version_info < (3, 12) else None)
    # Encodings and line endings.
    write("enc/latin1.py", b"# -*- coding: latin-1 -*-\n" + FLASK_HEADER.encode() + "caf\u00e9 = request.args\n".encode("latin-1"))
    write("enc/cp1252.py", b"# coding=cp1252\n" + FLASK_HEADER.encode() + "x = '\u20ac'; y = request.args\n".encode("cp1252"))
    write("enc/bom.py", codecs.BOM_UTF8 + FLASK_HEADER.encode() + b"x = request.args\n")
    write("enc/invalid_utf8.py", FLASK_HEADER.encode() + b"x = '\xff\xfe'; y = request.args\n", "decode-error")
    write("enc/rot13_cookie.py", b"# coding: rot13\n" + FLASK_HEADER.encode(), "decode-error")
    write("enc/nul.py", FLASK_HEADER.encode() + b"x = 1\x00\n", "binary")
    write("enc/binary.py", bytes(range(256)) * 16, "binary")
    write("enc/crlf.py", (FLASK_HEADER + "caf\u00e9 = 1; y = request.args\n").replace("\n", "\r\n"))
    write("enc/cr_only.py", (FLASK_HEADER + "caf\u00e9 = 1; y = request.args\n").replace("\n", "\r"))
    # A lone surrogate written out with `surrogatepass`: the bytes ED B3 BF, invalid in strict UTF-8.
    write("enc/surrogate_text.py", FLASK_HEADER + "x = '\udcff'; y = request.args\n", "decode-error")
    # Size and shape.
    write("size/empty.py", b"")
    write("size/generated.py", generated_module(big_megabytes))
    write("size/long_line.py", FLASK_HEADER + "DATA = [" + "1234567, " * 118_000 + "]; y = request.args\nz = request.form\n")
    for name, body in deep_sources(depth).items():
        write(f"size/{name}", FLASK_HEADER + body)  # audited; Python's parser may call it a syntax error
    # File system. Symlinks are never followed; each one is listed.
    outside = folder.parent / (folder.name + "-outside")
    outside.mkdir(exist_ok=True)
    (outside / "secret.py").write_text(FLASK_HEADER)
    os.symlink(outside, folder / "fs_link_outside")
    os.symlink(outside / "secret.py", folder / "fs_link_outside_file.py")
    os.symlink(folder, folder / "fs_loop")
    os.symlink(folder / "fs_loop_a.py", folder / "fs_loop_b.py")
    os.symlink(folder / "fs_loop_b.py", folder / "fs_loop_a.py")
    os.symlink(folder / "missing.py", folder / "fs_broken.py")
    for rel, kind in (("fs_link_outside", "symlink"), ("fs_link_outside_file.py", "symlink"),
                      ("fs_loop", "symlink"), ("fs_loop_a.py", "broken-symlink"), ("fs_loop_b.py", "broken-symlink"),
                      ("fs_broken.py", "broken-symlink")):
        tree.expect(rel, kind)
    os.mkfifo(folder / "fs_fifo.py")
    tree.expect("fs_fifo.py", "not-a-file")
    try:
        os.mknod(folder / "fs_device.py", 0o600 | stat.S_IFCHR, os.makedev(1, 3))  # like /dev/null
        tree.expect("fs_device.py", "not-a-file")
    except OSError:
        pass  # not root, or a container without CAP_MKNOD
    if os.geteuid() != 0:  # as root, permissions do not block reads: tests monkeypatch instead
        write("fs_unreadable.py", FLASK_HEADER, "unreadable")
        os.chmod(folder / "fs_unreadable.py", 0)
        write("fs_locked/inside.py", FLASK_HEADER)
        tree.audited.discard("fs_locked/inside.py")
        tree.expect("fs_locked", "unreadable")
        os.chmod(folder / "fs_locked", 0)
    write("fs_folder.py/inside.py", FLASK_HEADER + "x = request.args\n")
    try:
        name = os.fsencode(str(folder)) + b"/fs_undecodable_\xff\xfe.py"
        with open(name, "wb") as handle:
            handle.write((FLASK_HEADER + "x = request.args\n").encode())
        tree.expect("fs_undecodable_\\xff\\xfe.py")
        tree.undecodable_name = True
    except (OSError, UnicodeError):
        pass  # a file system that only takes UTF-8 names
    # Static only: importing or running any of these would write the marker file.
    for rel in ("static/setup.py", "static/conftest.py", "static/__init__.py", "static/sitecustomize.py",
                "static/__main__.py"):
        write(rel, MARKER_SOURCE)
    return tree
