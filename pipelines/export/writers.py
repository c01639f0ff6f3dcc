"""Streaming writers of one workbook: XLSX (openpyxl write-only, one row in memory at a time) or a
folder of CSV files, one per sheet. Both neutralise text that a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import math
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from pipelines.export.columns import FORMATS, KPI, Column

# A text cell starting with one of these is run as a formula by spreadsheets (OWASP "CSV
# injection"); department data (names, unit names) must never do that.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
EXCEL_MAX_ROWS = 1_048_576
# Column widths (characters) that still read when fitted to an A4 landscape page (about half size),
# and the scale of sheets wider than that.
FIT_WIDTH_MAX = 300
WIDE_SCALE = 65


def neutralise(value):
    """Text that would start a formula gets a leading apostrophe: shown, never run."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class XlsxBook:
    """One .xlsx written in write-only mode: rows go to disk as they come, so memory stays flat
    whatever the headcount. Written to a temporary name and renamed when complete."""

    max_rows = EXCEL_MAX_ROWS

    def __init__(self, path: Path, title: str):
        self.path = path
        self._book = Workbook(write_only=True)
        self._book.properties.title = title
        self._book.properties.creator = "kinerja export"

    @contextmanager
    def sheet(self, title: str, columns: list[Column]) -> Iterator["_XlsxSheet"]:
        sheet = _XlsxSheet(self._book, title, columns, self.max_rows)
        yield sheet
        sheet.close()

    def close(self) -> None:
        partial = self.path.with_name(self.path.name + ".part")
        self._book.save(partial)
        os.replace(partial, self.path)


class _XlsxSheet:
    _header_font = Font(bold=True)
    _header_fill = PatternFill("solid", fgColor="D9D9D9")
    _header_alignment = Alignment(wrap_text=True, vertical="top")

    def __init__(self, book: Workbook, title: str, columns: list[Column], max_rows: int):
        self._book, self.title, self.columns, self._max_rows = book, title, columns, max_rows
        self._kpi_at = next((i for i, c in enumerate(columns) if c.origin and c.origin.endswith(".kpi_code")), None)
        self.rows = 0  # data rows written, over every part of the sheet
        self._parts = 0
        self._ws = None
        self._new_part()

    def _new_part(self) -> None:
        """A sheet longer than Excel's row limit goes on in 'Title (2)', … with the same header."""
        if self._ws is not None:
            self._finish_part()
        self._parts += 1
        ws = self._book.create_sheet(self.title if self._parts == 1 else f"{self.title} ({self._parts})")
        for i, column in enumerate(self.columns, start=1):
            ws.column_dimensions[get_column_letter(i)].width = column.width
        _print_setup(ws, self.columns)
        # Wrapped headers need the row's height set: spreadsheets do not grow it when they open the file.
        lines = max(math.ceil(len(c.header) / max(c.width - 1, 1)) for c in self.columns)
        ws.row_dimensions[1].height = 15 * lines
        header = []
        for column in self.columns:
            cell = WriteOnlyCell(ws, column.header)
            cell.font, cell.fill, cell.alignment = self._header_font, self._header_fill, self._header_alignment
            header.append(cell)
        ws.append(header)
        self._ws, self._part_rows = ws, 1

    def _finish_part(self) -> None:
        self._ws.auto_filter.ref = f"A1:{get_column_letter(len(self.columns))}{self._part_rows}"

    def write(self, values: Iterable) -> None:
        if self._part_rows == self._max_rows:
            self._new_part()
        values = list(values)
        row = []
        for column, value in zip(self.columns, values):
            kind = column.kind
            if kind == "kpi":
                kind = KPI.get(values[self._kpi_at], ("", "", "dec4"))[2]
            if value is None or kind not in FORMATS:
                row.append(neutralise(value))
                continue
            cell = WriteOnlyCell(self._ws, neutralise(value))
            cell.number_format = FORMATS[kind]
            row.append(cell)
        self._ws.append(row)
        self._part_rows += 1
        self.rows += 1

    def close(self) -> None:
        self._finish_part()


def _print_setup(ws, columns: list[Column]) -> None:
    """A sheet that prints sensibly: A4 landscape, the header row on every page, page numbers, and
    on screen the header and the columns up to the name (of the employee, else of the unit) frozen. A sheet that fits one page wide
    at a readable size is fitted to it; a wider one (Kartu Skor) prints at a fixed scale across
    pages with NIP and name repeated on each. In write-only mode the sheet properties and panes go
    out with the first row, so this runs before the header is appended."""
    headers = [c.header for c in columns]
    names = [h for h in ("Nama", "Nama Unit") if h in headers]  # whose row it is: the employee, else the unit
    identity = headers.index(names[0]) + 1 if names else 0
    ws.freeze_panes = f"{get_column_letter(identity + 1)}2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    if sum(c.width for c in columns) <= FIT_WIDTH_MAX:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0  # 0: as many pages down as needed
    else:
        ws.page_setup.scale = WIDE_SCALE
        ws.page_setup.pageOrder = "overThenDown"  # an employee's row on consecutive pages
        if identity:
            ws.print_title_cols = f"A:{get_column_letter(identity)}"
    ws.print_options.gridLines = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "&A — halaman &P dari &N"


class CsvBook:
    """A folder of CSV files, one per sheet: UTF-8 with BOM (Excel then reads Indonesian text
    right), comma-separated, '.' decimals, TRUE/FALSE, empty for null."""

    def __init__(self, path: Path, title: str):
        self.path = path
        self._partial = path.with_name(path.name + ".part")
        shutil.rmtree(self._partial, ignore_errors=True)
        self._partial.mkdir(parents=True)

    @contextmanager
    def sheet(self, title: str, columns: list[Column]) -> Iterator["_CsvSheet"]:
        name = title.lower().replace(" ", "_") + ".csv"
        with open(self._partial / name, "w", encoding="utf-8-sig", newline="") as handle:
            sheet = _CsvSheet(csv.writer(handle), title, columns)
            yield sheet

    def close(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        os.replace(self._partial, self.path)


class _CsvSheet:
    def __init__(self, writer, title: str, columns: list[Column]):
        self._writer, self.title, self.columns = writer, title, columns
        self.rows = 0
        writer.writerow([c.header for c in columns])

    def write(self, values: Iterable) -> None:
        self._writer.writerow([_csv_value(v) for v in values])
        self.rows += 1


def _csv_value(value):
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return neutralise(value)
