"""Extracts and the shapes departments save them in (contracts §2.1): CSV variants and XLSX.

Rows hold typed values: datetimes as int seconds from the start of the extract's month (cheap to
make and to format by table lookup, which matters for a million punches), dates as `date`, the
rest as text or int. A `str` in a date or datetime column is written as it is; faults use that to
plant values no formatter would produce.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook

from pipelines.generate.periods import Month

DATE_COLUMNS = frozenset({"active_from", "active_to", "date_from", "date_to", "shift_date", "holiday_date"})
DATETIME_COLUMNS = frozenset({"punched_at", "received_at", "completed_at", "submitted_at", "occurred_at"})
DAY = 86400
_EARLIEST_DAY = -100  # datetimes reach this many days before their month (tickets received earlier)


@dataclass(frozen=True)
class Layout:
    """How one department saves its export."""

    delimiter: str = ","
    encoding: str = "utf-8"
    crlf: bool = False
    day_first: bool = False  # DD/MM/YYYY and DD/MM/YYYY HH:MM, as Excel writes them in Indonesia
    xlsx: bool = False
    headers: Mapping[str, str] = field(default_factory=dict)  # canonical name -> as written
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # column -> canonical -> as written

    def named(self, **headers: str) -> Layout:
        return replace(self, headers=headers)


CSV = Layout()
CSV_BOM = Layout(encoding="utf-8-sig")
# "CSV (semicolon delimited)" from Excel on an Indonesian Windows: ;, cp1252, CRLF, day-first dates.
EXCEL_CSV = Layout(delimiter=";", encoding="cp1252", crlf=True, day_first=True)
XLSX = Layout(xlsx=True)


@dataclass
class Extract:
    source: str
    name: str  # file name without extension
    layout: Layout
    month: Month  # the month its datetimes count from
    columns: tuple[str, ...]  # canonical names
    rows: list[tuple[Any, ...]]

    @property
    def file_name(self) -> str:
        return self.name + (".xlsx" if self.layout.xlsx else ".csv")

    def header(self) -> list[str]:
        return [self.layout.headers.get(c, c) for c in self.columns]

    def col(self, column: str) -> int:
        return self.columns.index(column)

    def render(self, row: tuple[Any, ...]) -> list[Any]:
        """The row's cells as this file shows them (text, or typed cells in XLSX)."""
        return _apply(_converters(self), row)


def write(extract: Extract, period_dir: Path) -> None:
    folder = period_dir / extract.source
    folder.mkdir(parents=True, exist_ok=True)
    (_write_xlsx if extract.layout.xlsx else _write_csv)(extract, folder / extract.file_name)


def _write_csv(extract: Extract, path: Path) -> None:
    layout = extract.layout
    with open(path, "w", encoding=layout.encoding, newline="", buffering=1 << 20) as handle:
        writer = csv.writer(handle, delimiter=layout.delimiter, lineterminator="\r\n" if layout.crlf else "\n")
        writer.writerow(extract.header())
        writer.writerows(_rendered(extract))


def _write_xlsx(extract: Extract, path: Path) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(extract.source)
    sheet.append(extract.header())
    for row in _rendered(extract):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    _freeze_zip(buffer, path)


def _rendered(extract: Extract) -> Iterable[Sequence[Any]]:
    converters = _converters(extract)
    return (_apply(converters, row) for row in extract.rows) if converters else extract.rows


def _apply(converters: list[tuple[int, Callable[[Any], Any]]], row: Sequence[Any]) -> list[Any]:
    cells = list(row)
    for i, convert in converters:
        cells[i] = convert(cells[i])
    return cells


def _converters(extract: Extract) -> list[tuple[int, Callable[[Any], Any]]]:
    layout, converters = extract.layout, []
    for i, column in enumerate(extract.columns):
        if column in layout.values:
            mapping = layout.values[column]
            converters.append((i, lambda v, m=mapping: m.get(v, v)))
        elif column in DATETIME_COLUMNS:
            stamp = _xlsx_stamp(extract.month) if layout.xlsx else _text_stamp(extract.month, layout.day_first)
            converters.append((i, lambda v, f=stamp: f(v) if type(v) is int else v))
        elif column in DATE_COLUMNS and not layout.xlsx:
            day = _dmy if layout.day_first else date.isoformat
            converters.append((i, lambda v, f=day: f(v) if type(v) is date else v))
    return converters


@cache
def _clock_times(minutes_only: bool) -> list[str]:
    if minutes_only:
        return [f"{m // 60:02d}:{m % 60:02d}" for m in range(DAY // 60)]
    return [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(DAY)]


@cache
def _text_stamp(month: Month, day_first: bool) -> Callable[[int], str]:
    """Seconds from the month's start -> text, by two table lookups."""
    days = [month.first + timedelta(days=n) for n in range(_EARLIEST_DAY, 45)]
    prefixes = [(_dmy(d) if day_first else d.isoformat()) + " " for d in days]
    times, unit = _clock_times(day_first), 60 if day_first else 1

    def stamp(seconds: int) -> str:
        day, second = divmod(seconds, DAY)
        return prefixes[day - _EARLIEST_DAY] + times[second // unit]

    return stamp


def _xlsx_stamp(month: Month) -> Callable[[int], datetime]:
    start = datetime(month.year, month.month, 1)
    return lambda seconds: start + timedelta(seconds=seconds)


def _dmy(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


_DOC_TIMES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*")


def _freeze_zip(buffer: io.BytesIO, path: Path) -> None:
    """Rewrite openpyxl's zip with fixed entry times and document dates: same input, same bytes."""
    with ZipFile(buffer) as source, ZipFile(path, "w", ZIP_DEFLATED) as target:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "docProps/core.xml":
                data = _DOC_TIMES.sub(rb"\g<1>2000-01-01T00:00:00Z", data)
            target.writestr(ZipInfo(entry.filename, (1980, 1, 1, 0, 0, 0)), data, ZIP_DEFLATED)
