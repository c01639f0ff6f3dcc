"""Files as byte streams for COPY: hashed while read, line endings normalised, XLSX as CSV.

Memory stays flat: everything moves in fixed-size chunks, whatever the file's size.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from datetime import date, datetime, time
from pathlib import Path
from typing import Callable, Iterable, Iterator

from pipelines.land.sniff import BOM, SAMPLE_BYTES, UTF8

CHUNK_BYTES = 1 << 20


class FileDigest:
    """sha256, size and quote count of the bytes that went through, for lineage and parsing, and
    whether a quote stood inside a value (see `csv_chunks`)."""

    def __init__(self) -> None:
        self._sha = hashlib.sha256()
        self.size = 0
        self.quotes = 0
        self.stray_quotes = False

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


def _stray_quote(delimiter: str) -> re.Pattern[bytes]:
    """A quote with a value's text on both sides (`12"x`, ` "a"`): not where RFC 4180 puts one.
    PostgreSQL's CSV parser would open a quoted stretch there; the line path keeps it as text."""
    d = re.escape(delimiter.encode())
    return re.compile(b'[^\n"' + d + b']"[^\n"' + d + b"]")


def csv_chunks(
    path: Path, digest: FileDigest, *, skip_bom: bool, delimiter: str | None = None
) -> Iterator[bytes]:
    """The file's bytes with CRLF and lone CR turned into LF (COPY wants one line ending). With a
    delimiter, `digest.stray_quotes` tells whether a quote stood inside a value."""
    stray = _stray_quote(delimiter) if delimiter else None
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
        quotes = chunk.count(b'"')
        digest.quotes += quotes
        chunk = chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        if quotes and stray and not digest.stray_quotes:
            digest.stray_quotes = stray.search(chunk) is not None
        yield chunk
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


def xlsx_csv_chunks(
    path: Path, digest: FileDigest, is_text_column: Callable[[str], bool]
) -> Iterator[bytes]:
    """The first sheet as UTF-8 CSV (header in row 1), streamed in chunks.

    `is_text_column(header_name)` says which columns must hold text (NIPs), so a numeric cell
    there can be reported instead of silently turned into digits. The workbook is opened here,
    before any chunk is asked for, so an unreadable file fails before COPY starts.
    """
    import openpyxl  # only XLSX files need it

    for chunk in read_chunks(path):
        digest.update(chunk)
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    return _sheet_chunks(workbook, digest, is_text_column)


def _sheet_chunks(workbook, digest: FileDigest, is_text_column: Callable[[str], bool]) -> Iterator[bytes]:
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        header = next(rows, None)
        if header is None:
            return
        text_columns = [is_text_column(str(h or "")) for h in header]
        writer.writerow(_cell_text(v, False) for v in header)
        width = len(header)
        for row in rows:
            # A sheet stores no empty trailing cells: pad to the header so the row is not short.
            cells = row + (None,) * (width - len(row)) if len(row) < width else row
            writer.writerow(
                _cell_text(v, i < width and text_columns[i]) for i, v in enumerate(cells)
            )
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


def skip_lines(chunks: Iterable[bytes], count: int) -> Iterator[bytes]:
    """The chunks without their first `count` lines (title rows above a header)."""
    for chunk in chunks:
        while count and chunk:
            end = chunk.find(b"\n")
            chunk = b"" if end < 0 else chunk[end + 1 :]
            count -= end >= 0
        if chunk:
            yield chunk


def read_header(path: Path, dialect, *, skip_bom: bool) -> list[str] | None:
    """The header's fields (line `dialect.header_line`, within the file's first 64 KiB), or None
    when there is none there or it does not decode."""
    with open(path, "rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    if skip_bom and sample.startswith(BOM):
        sample = sample[len(BOM) :]
    lines = sample.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n", dialect.header_line)
    if len(lines) <= dialect.header_line:  # the header line does not end within the sample
        return None
    try:
        text = lines[dialect.header_line - 1].decode("utf-8" if dialect.encoding == UTF8 else "cp1252")
    except UnicodeDecodeError:
        return None
    header = next(csv.reader([text], delimiter=dialect.delimiter), [])
    return header if "".join(header).strip() else None
