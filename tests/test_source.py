from __future__ import annotations

import codecs

import pytest

from migrate_audit.source import BinaryFile, count_code_lines, decode_python


def test_utf8_bom_is_dropped() -> None:
    assert decode_python(codecs.BOM_UTF8 + b"x = 1\n").text == "x = 1\n"


@pytest.mark.parametrize("cookie", [b"# -*- coding: latin-1 -*-\n", b"#!/usr/bin/env python\n# coding=cp1252\n"])
def test_coding_cookie(cookie: bytes) -> None:
    decoded = decode_python(cookie + "name = 'caf\u00e9'\n".encode("latin-1"))
    assert "caf\u00e9" in decoded.text and decoded.problem == ""


def test_invalid_utf8_is_replaced_and_reported() -> None:
    decoded = decode_python(b"x = '\xff'\n")
    assert "\ufffd" in decoded.text and "invalid utf-8" in decoded.problem


def test_nul_bytes_mean_binary() -> None:
    with pytest.raises(BinaryFile):
        decode_python(b"\x00\x01\x02")


@pytest.mark.parametrize("data", [b"a = 1\r\nb = 2\r\n", b"a = 1\rb = 2\r"])
def test_newlines_normalised_so_lines_match_editors(data: bytes) -> None:
    assert decode_python(data).text.split("\n")[:2] == ["a = 1", "b = 2"]


def test_unknown_cookie_falls_back_to_utf8() -> None:
    assert "unknown encoding" in decode_python(b"# coding: klingon\nx = 1\n").problem


def test_code_lines_skip_blank_lines() -> None:
    assert count_code_lines("a\n\n  \nb\n") == 2


def test_code_lines_count_like_the_regex_on_every_kind_of_text() -> None:
    """ASCII text is counted by splitting lines; the rest by the regex: both must agree, including on
    whitespace that is not a line's indentation for the regex (a line starting with U+00A0 or \\x1c is
    blank to it)."""
    import random
    import re

    regex = re.compile(r"^[ \t\f\v]*\S", re.MULTILINE)
    rng = random.Random(18)
    alphabet = " \t\f\v\n\r\x1c\x1fa#\u00a0\u2028"
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(14)))
        assert count_code_lines(text) == len(regex.findall(text)), repr(text)


@pytest.mark.parametrize("size", [0, 1, 4095, 65536, 65536 * 3 + 7])
def test_reading_gives_the_whole_file(tmp_path, size: int) -> None:
    from migrate_audit.source import read_regular_file

    path = tmp_path / "f.py"
    data = bytes(i % 251 for i in range(size))
    path.write_bytes(data)
    assert read_regular_file(str(path)) == data


def test_reading_follows_a_file_that_grew_after_fstat_up_to_the_limit(tmp_path, monkeypatch) -> None:
    """fstat's size only sizes the first read: a file longer than it said is read to its end, and one
    that grew over the limit is refused, as when the size was known."""
    import os

    from migrate_audit import source

    path = tmp_path / "f.py"
    data = b"x = 1\n" * 30_000  # 180 kB: several reads past a size of 10
    path.write_bytes(data)
    real_fstat = os.fstat

    class Shrunk:
        def __init__(self, info: os.stat_result) -> None:
            self.st_mode, self.st_size = info.st_mode, 10

    monkeypatch.setattr(source.os, "fstat", lambda fd: Shrunk(real_fstat(fd)))
    assert source.read_regular_file(str(path)) == data
    monkeypatch.setattr(source, "MAX_FILE_BYTES", 100_000)
    with pytest.raises(source.FileTooLarge):
        source.read_regular_file(str(path))
