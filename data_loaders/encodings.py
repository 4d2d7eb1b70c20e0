"""Decide how a CSV file's bytes become text, or refuse it: never store mojibake.

Staff save files as UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's "Unicode text") or
Windows-1251 (Excel in a Russian locale). Anything else (KOI8-R, DOS 866, Latin-1, a UTF-8 file
with one line pasted from a cp1251 file, binary bytes) is refused with a message that says what
the file looks like and where, because decoding it as one of the accepted encodings would store
wrong text without a word. The whole file is scanned in blocks, so memory stays flat.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from charset_normalizer import from_bytes

BLOCK = 1 << 20  # bytes read at a time
SAMPLE = 256 * 1024  # bytes of non-ASCII lines kept to name a legacy encoding
LEGACY_CANDIDATES = ["cp1251", "koi8_r", "cp866", "iso8859_5", "mac_cyrillic", "cp1252"]
ENCODING_NAMES = {
    "koi8_r": "KOI8-R",
    "cp866": "DOS 866",
    "iso8859_5": "ISO 8859-5",
    "mac_cyrillic": "Mac Cyrillic",
    "cp1252": "Latin-1 (Windows-1252)",
}
_WORD = re.compile(r"[^\W\d_]+")


class EncodingRefused(ValueError):
    """The file's text encoding is not one the loader accepts; ``line`` is where it shows."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.line = line


def _line_of(data: bytes, position: int, lines_before: int) -> int:
    return lines_before + data.count(b"\n", 0, position) + 1


def detect_encoding(path: Path) -> str:
    """The Python codec to read ``path`` with: utf-8, utf-8-sig, utf-16 or cp1251."""
    with path.open("rb") as handle:
        head = handle.read(4)
        handle.seek(0)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            _scan(handle, "utf-16")
            return "utf-16"
        encoding = "utf-8-sig" if head.startswith(b"\xef\xbb\xbf") else "utf-8"
        legacy_sample = _scan(handle, encoding)
    if legacy_sample is None:
        return encoding
    if encoding == "utf-8" and _reads_as_cp1251(legacy_sample):
        return "cp1251"
    raise EncodingRefused(_legacy_message(legacy_sample))


def _scan(handle, encoding: str) -> bytes | None:
    """Decode the whole file; None if it is valid, else a sample of its non-ASCII lines.

    A file whose first invalid byte follows valid non-ASCII text is a mixed file: refused at
    that line. One with only ASCII before it is a legacy 8-bit file, judged by the caller.
    """
    decoder = codecs.getincrementaldecoder(encoding)()
    lines_before, seen_non_ascii = 0, False
    while block := handle.read(BLOCK):
        try:
            text = decoder.decode(block)
        except UnicodeDecodeError as exc:
            line = _line_of(block, exc.start, lines_before)
            prefix_is_ascii = block[: exc.start].isascii()
            if encoding != "utf-8" or seen_non_ascii or not prefix_is_ascii:
                name = "UTF-16" if encoding == "utf-16" else "UTF-8"
                raise EncodingRefused(
                    f"line {line} is not valid {name} (byte 0x{block[exc.start]:02X}) while the rest of the file is:"
                    f" the line was probably pasted from a file in another encoding; save the whole file as UTF-8",
                    line,
                ) from None
            lines = _non_ascii_lines(handle, block)
            if any(_is_utf8(sample_line) for sample_line in lines):
                raise EncodingRefused(
                    f"line {line} is not valid UTF-8 (byte 0x{block[exc.start]:02X}) while later lines are:"
                    f" the line was probably pasted from a file in another encoding; save the whole file as UTF-8",
                    line,
                ) from None
            return b"\n".join(lines)[:SAMPLE]
        seen_non_ascii = seen_non_ascii or not text.isascii()
        lines_before += block.count(b"\n")
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise EncodingRefused("the file ends in the middle of a character: it is cut off or not text") from None
    return None


def _non_ascii_lines(handle, block: bytes) -> list[bytes]:
    lines, size = [], 0
    while block and size < SAMPLE:
        found = [line for line in block.split(b"\n") if not line.isascii()]
        lines += found
        size += sum(len(line) for line in found)
        block = handle.read(BLOCK)
    return lines


def _is_utf8(line: bytes) -> bool:
    """Valid UTF-8 with non-ASCII text: Windows-1251 Cyrillic practically never is."""
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _reads_as_cp1251(sample: bytes) -> bool:
    """True when the bytes decode to plausible Cyrillic text in Windows-1251.

    KOI8-R decoded as cp1251 comes out mostly in capitals after the first letter ("сОЗД" for
    "Согд"), DOS 866 as symbols, Latin-1 as Latin words with Cyrillic letters inside ("cafй").
    """
    try:
        text = sample.decode("cp1251")
    except UnicodeDecodeError:
        return False
    non_ascii = [c for c in text if ord(c) > 127]
    cyrillic = [c for c in non_ascii if "\u0400" <= c <= "\u04ff"]
    if not non_ascii or len(cyrillic) < 0.7 * len(non_ascii):
        return False
    words = [w for w in _WORD.findall(text) if not w.isascii()]
    mixed = sum(1 for w in words if any(c.isascii() for c in w))
    inner = [c for w in words for c in w[1:] if not c.isascii()]
    inner_capitals = sum(1 for c in inner if c.isupper())
    return mixed <= 0.1 * len(words) and inner_capitals <= 0.5 * max(len(inner), 1)


def _looks_binary(sample: bytes) -> bool:
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13))
    return b"\x00" in sample or controls > 0.01 * max(len(sample), 1)


def _legacy_message(sample: bytes) -> str:
    if _looks_binary(sample):
        return "the file is not text (it holds binary bytes): save the table as CSV UTF-8 or XLSX"
    best = from_bytes(sample, cp_isolation=[c for c in LEGACY_CANDIDATES if c != "cp1251"]).best()
    if best is None or best.encoding not in ENCODING_NAMES:
        return "the file is not text in UTF-8 or Windows-1251 (it may be binary): save it as CSV UTF-8"
    return f"the file looks like {ENCODING_NAMES[best.encoding]}: save it as UTF-8 (CSV UTF-8 in Excel)"
