"""Guess a CSV file's encoding and delimiter from its first bytes (contracts.md §2.1).

UTF-8 (with or without BOM) or Windows-1252; `,` or `;`. The guess is checked by the warehouse:
COPY decodes the whole file and the loader retries as Windows-1252 when UTF-8 fails later on.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

UTF8, WIN1252 = "UTF8", "WIN1252"  # PostgreSQL's names, as COPY's ENCODING option takes them
BOM = codecs.BOM_UTF8
SAMPLE_BYTES = 1 << 16
HEAD_ROWS = 10  # the header is looked for in the first rows (a title may stand above it)


@dataclass(frozen=True)
class CsvFormat:
    encoding: str
    bom: bool
    delimiter: str  # of the first line
    head: tuple[str, ...] = ()  # the first HEAD_ROWS lines, to find the header in


def sniff_encoding(sample: bytes) -> tuple[str, bool]:
    if sample.startswith(BOM):
        return UTF8, True
    try:
        # Not final: the sample may end inside a multi-byte character.
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return WIN1252, False
    return UTF8, False


def sniff_delimiter(header_line: str) -> str:
    """`;` when the header has more semicolons than commas outside quotes, else `,`."""
    counts = {",": 0, ";": 0}
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return ";" if counts[";"] > counts[","] else ","


def sniff_csv(path: Path) -> CsvFormat:
    with open(path, "rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    encoding, bom = sniff_encoding(sample)
    text = sample[len(BOM) if bom else 0 :].decode("utf-8" if encoding == UTF8 else "cp1252", "replace")
    lines = re.split(r"\r\n|\r|\n", text)  # as COPY will see them (stream.csv_chunks)
    if len(sample) == SAMPLE_BYTES and len(lines) > 1:
        lines.pop()  # cut by the sample's end
    return CsvFormat(encoding, bom, sniff_delimiter(lines[0]), tuple(lines[:HEAD_ROWS]))
