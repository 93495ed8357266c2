"""Reading a file's bytes safely, and turning them into the text the engine analyses, the way Python and
editors would read it."""
from __future__ import annotations

import codecs
import os
import re
import stat
from dataclasses import dataclass

# PEP 263: the cookie must be on line 1 or 2.
_COOKIE_RE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")
_NEWLINES_RE = re.compile(r"\r\n?")
_LINE_RE = re.compile(rb"\r\n|\r|\n")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
MAX_FILE_BYTES = 50 * 1024 * 1024


class NotRegularFile(Exception):
    """A FIFO, socket or device where a regular file was: never opened for reading (it could block)."""


class FileTooLarge(Exception):
    """Over MAX_FILE_BYTES; `args[0]` is the size seen."""


def read_regular_file(path: str) -> bytes:
    """The bytes of a regular file, checked on the open descriptor (no race with discovery's check):
    O_NONBLOCK so that a FIFO swapped in never blocks the open, and a size limit that holds even when the
    file grows while it is read."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(path)
        if info.st_size > MAX_FILE_BYTES:
            raise FileTooLarge(info.st_size)
        # Until the end of the file or one byte over the limit, asking first for the size fstat saw and one
        # byte more (one read, and one more that finds the end): a buffered `read(MAX_FILE_BYTES + 1)` set
        # up a 50 MB buffer for every file, which cost five times the reading itself.
        limit = MAX_FILE_BYTES + 1
        chunks: list[bytes] = []
        total = 0
        wanted = min(info.st_size + 1, limit)
        while total < limit:
            chunk = os.read(fd, min(max(wanted - total, _READ_CHUNK), limit - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        data = chunks[0] if len(chunks) == 1 else b"".join(chunks)
        if len(data) > MAX_FILE_BYTES:
            raise FileTooLarge(len(data))
        return data
    finally:
        os.close(fd)


_READ_CHUNK = 1 << 16  # what a read asks for once the size fstat saw is read (the file grew)


@dataclass(frozen=True)
class DecodedSource:
    text: str  # newlines normalised to \n so that line numbers match what an editor shows
    encoding: str
    problem: str = ""  # non-empty when bytes had to be replaced or guessed


class BinaryFile(ValueError):
    """The bytes are not text (a NUL byte): the file is not analysed."""


def _declared_encoding(data: bytes) -> str | None:
    for line in _LINE_RE.split(data, maxsplit=2)[:2]:
        match = _COOKIE_RE.match(line)
        if match:
            return match.group(1).decode("ascii", "replace")
        if line.strip() and not line.lstrip().startswith(b"#"):
            break  # the cookie only counts on line 2 when line 1 is a comment or blank
    return None


def _is_source_encoding(encoding: str) -> bool:
    """A codec Python source can be written in: a text encoding (not rot13, base64, zlib...) that reads
    ASCII as ASCII (not UTF-16/32), since the cookie itself is written in ASCII."""
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        return False
    if not getattr(info, "_is_text_encoding", True):
        return False
    probe = b"# -*- coding -*-\nx = 1\n"
    try:
        return probe.decode(info.name) == probe.decode("ascii")
    except (UnicodeError, ValueError):
        return False


def decode_python(data: bytes) -> DecodedSource:
    """Decode Python source bytes: BOM, then PEP 263 cookie, then UTF-8 with replacement."""
    if b"\x00" in data:
        raise BinaryFile("contains NUL bytes: binary, not Python source")
    problem = ""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
        encoding = "utf-8"
    else:
        encoding = _declared_encoding(data) or "utf-8"
    if not _is_source_encoding(encoding):
        try:
            codecs.lookup(encoding)
            problem = f"the coding cookie's {encoding!r} is not a codec for source text; read as UTF-8"
        except LookupError:
            problem = f"unknown encoding {encoding!r} in the coding cookie; read as UTF-8"
        encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeError as exc:  # UnicodeDecodeError, or a codec that fails outright ('undefined')
        where = f" at offset {exc.start}" if isinstance(exc, UnicodeDecodeError) else ""
        problem = f"invalid {encoding} bytes{where}; undecodable bytes replaced"
        try:
            text = data.decode(encoding, errors="replace")
        except UnicodeError:
            problem = f"cannot decode as {encoding} ({exc}); read as UTF-8"
            encoding = "utf-8"
            text = data.decode(encoding, errors="replace")
    return DecodedSource(normalize_newlines(text), encoding, problem)


def decode_text(data: bytes) -> DecodedSource:
    """Decode a non-Python text file (requirements, templates, Dockerfiles): UTF-8, replacing bad bytes."""
    if b"\x00" in data:
        raise BinaryFile("contains NUL bytes: binary, not text")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        return DecodedSource(normalize_newlines(data.decode("utf-8")), "utf-8")
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        return DecodedSource(normalize_newlines(text), "utf-8", f"invalid UTF-8 at offset {exc.start}")


def normalize_newlines(text: str) -> str:
    if "\r" not in text:
        return text
    return _NEWLINES_RE.sub("\n", text)


_NON_BLANK_LINE = re.compile(r"^[ \t\f\v]*\S", re.MULTILINE)


def count_code_lines(text: str) -> int:
    """Non-blank lines: the size measure of the readiness score. A line counts when, after its spaces,
    tabs, form feeds and vertical tabs, it holds a character that is not whitespace (`_NON_BLANK_LINE`).
    Without a non-ASCII character, a carriage return or \\x1c-\\x1f (whitespace that does not start a line
    for the regex), that is a line with something left after stripping those four: a third cheaper than
    the regex, which the other texts keep (each `in` is one memchr)."""
    if not text.isascii() or "\r" in text or "\x1c" in text or "\x1d" in text or "\x1e" in text or "\x1f" in text:
        return len(_NON_BLANK_LINE.findall(text))
    return sum(1 for line in text.split("\n") if line.strip(" \t\f\v"))


def without_surrogates(text: str) -> str:
    """Replace lone surrogates (from `surrogateescape` decoding, or `\\udcff` written as a character) with
    U+FFFD: one character for one, so columns do not move, and the text can be encoded as UTF-8."""
    if text.isascii() or not _SURROGATE_RE.search(text):  # isascii: a flag CPython keeps, no scan
        return text
    return _SURROGATE_RE.sub("\ufffd", text)


def printable_text(text: str) -> str:
    """Text from the scanned tree (a file name, a snippet in a message) as valid, inert Unicode for
    reports: bytes a file name could not decode (held as surrogate escapes by `os.fsdecode`) and control
    characters (a newline or an ANSI escape would forge lines in a terminal or a CI log) become `\\xNN`."""
    if not _UNPRINTABLE_RE.search(text):
        return text
    return _UNPRINTABLE_RE.sub(_escape_char, text)


printable_path = printable_text


_UNPRINTABLE_RE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the undecodable byte itself
        return f"\\x{code - 0xDC00:02x}"
    if code > 0xFF:  # a surrogate that never was a byte
        return f"\\u{code:04x}"
    return f"\\x{code:02x}"
