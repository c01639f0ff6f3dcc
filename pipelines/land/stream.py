"""Files as byte streams for COPY: hashed while read, line endings normalised, XLSX as CSV.

Memory stays flat: everything moves in fixed-size chunks, whatever the file's size.
"""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import date, datetime, time
from pathlib import Path
from typing import Iterable, Iterator

from pipelines.land.sniff import BOM

CHUNK_BYTES = 1 << 20


class FileDigest:
    """sha256, size and quote count of the bytes that went through, for lineage and parsing."""

    def __init__(self) -> None:
        self._sha = hashlib.sha256()
        self.size = 0
        self.quotes = 0

    def update(self, chunk: bytes) -> None:
        self._sha.update(chunk)
        self.size += len(chunk)

    @property
    def sha256(self) -> str:
        return self._sha.hexdigest()


def read_chunks(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            yield chunk


def csv_chunks(path: Path, digest: FileDigest, *, skip_bom: bool) -> Iterator[bytes]:
    """The file's bytes with CRLF and lone CR turned into LF (COPY wants one line ending)."""
    carry = b""
    for number, chunk in enumerate(read_chunks(path)):
        digest.update(chunk)
        if number == 0 and skip_bom and chunk.startswith(BOM):
            chunk = chunk[len(BOM) :]
        chunk = carry + chunk
        # A CR at the end may be half of a CRLF split across chunks: decide with the next one.
        carry = b"\r" if chunk.endswith(b"\r") else b""
        if carry:
            chunk = chunk[:-1]
        digest.quotes += chunk.count(b'"')
        yield chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    if carry:
        yield b"\n"


def _cell_text(value: object, as_text: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        if as_text:
            # A numeric cell where text is expected (an NIP) is shown as Excel shows it, with 15
            # significant digits: the row is then rejected as a number that lost its digits.
            return "%.15G" % value
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return repr(value)
    return str(value)


def open_workbook(path: Path, digest: FileDigest):
    """The workbook, read only, after its bytes went through `digest`. Opened before any chunk is
    asked for, so an unreadable file fails before COPY starts."""
    import openpyxl  # only XLSX files need it

    for chunk in read_chunks(path):
        digest.update(chunk)
    return openpyxl.load_workbook(path, read_only=True, data_only=True)


def sheet_heads(workbook, rows: int) -> list[tuple[str, list[list[str]]]]:
    """Each sheet's title and its first `rows` rows as text, to find the header in."""
    return [
        (sheet.title, [[_cell_text(v, False) for v in row] for row in sheet.iter_rows(max_row=rows, values_only=True)])
        for sheet in workbook.worksheets
    ]


def sheet_csv_chunks(
    workbook, digest: FileDigest, sheet: str, width: int, text_columns: set[int]
) -> Iterator[bytes]:
    """One sheet as UTF-8 CSV, every row (a title above the header too, so line numbers stay the
    spreadsheet's row numbers), streamed in chunks; the workbook is closed at the end.

    `text_columns` (0-based) must hold text (NIPs): a numeric cell there is shown as Excel shows
    it, so it can be reported instead of silently turned into digits. Rows are padded to the
    header's `width`: a sheet stores no empty trailing cells."""
    try:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        for row in workbook[sheet].iter_rows(values_only=True):
            cells = row + (None,) * (width - len(row)) if len(row) < width else row
            writer.writerow(_cell_text(v, i in text_columns) for i, v in enumerate(cells))
            if buffer.tell() >= CHUNK_BYTES:
                yield _drain(buffer, digest)
        yield _drain(buffer, digest)
    finally:
        workbook.close()


def _drain(buffer: io.StringIO, digest: FileDigest) -> bytes:
    data = buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    digest.quotes += data.count(b'"')
    return data


class ChunkReader(io.RawIOBase):
    """A read()-able file over an iterator of byte chunks, as COPY FROM STDIN wants.

    read() may return fewer bytes than asked (never empty before the end), so no chunk is ever
    copied into a growing buffer.
    """

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self._chunk = b""
        self._pos = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        while self._pos >= len(self._chunk):
            chunk = next(self._chunks, None)
            if chunk is None:
                return b""
            self._chunk, self._pos = chunk, 0
        end = len(self._chunk) if size < 0 else self._pos + size
        data = self._chunk[self._pos : end]
        self._pos += len(data)
        return data
