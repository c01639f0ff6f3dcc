"""Find a file's header among its first rows and decide how its columns are read.

Exports often carry a title above the header ("REKAP ABSENSI OKTOBER 2026"), or keep the data
on another sheet. Only the first HEAD_ROWS rows of each sheet are looked at, so this is cheap
whatever the file's size; the result (`Header`) is all the loader needs to know before staging.
"""

from __future__ import annotations

import csv
import difflib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable

from pipelines.land.layouts import DayColumns, Layout, layouts_of
from pipelines.land.sniff import HEAD_ROWS, sniff_csv, sniff_delimiter
from pipelines.land.stream import FileDigest, open_workbook, sheet_heads
from pipelines.rules.columns import HeaderMap, Source, map_header, normalise_header_name


@dataclass(frozen=True)
class Header:
    """Where a file's header is and how its columns are read."""

    row: int  # the header's row number as a spreadsheet shows it; the data follow it
    delimiter: str
    cells: tuple[str, ...]
    source: Source  # as this file is read (with its layout's names and spellings)
    columns: HeaderMap  # complete unless columns.missing says what is not there
    layout: Layout | None = None
    day: DayColumns | None = None  # a per-day summary's date and time columns
    sheet: str | None = None  # the XLSX sheet read
    sheets: tuple[str, ...] = field(default=())  # all sheets of the workbook

    @property
    def found(self) -> bool:
        return not self.columns.missing


def read_header(source: Source, row: int, delimiter: str, cells: list[str]) -> Header:
    """The row read as the source's header: as the contract names the columns, else as the
    first layout profile whose names are all in it."""
    header = Header(row, delimiter, tuple(cells), source, map_header(source, cells))
    if header.found:
        return header
    folded = [normalise_header_name(c) for c in cells]
    for layout in layouts_of(source.name):
        if not layout.recognises(folded):
            continue
        reading = layout.reading(source)
        mapped = map_header(reading, cells)
        mapped.unknown = [c for c in mapped.unknown if not layout.is_known(normalise_header_name(c))]
        return Header(row, delimiter, tuple(cells), reading, mapped, layout, layout.day_columns(folded))
    return header


def find_header(source: Source, rows: Iterable[tuple[int, str, list[str]]]) -> Header | None:
    """The first of (row number, delimiter, cells) that reads as a header; when none does, the
    one naming the most columns, so the refusal can say what it has. None: all rows blank."""
    best = None
    for row, delimiter, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        header = read_header(source, row, delimiter, cells)
        if header.found:
            return header
        if best is None or len(header.columns.positions) > len(best.columns.positions):
            best = header
    return best


def csv_rows(lines: list[str]) -> list[tuple[int, str, list[str]]]:
    """The first lines of a CSV file as candidate header rows, each split by its own delimiter
    (a title line above the header has none)."""
    rows = []
    for number, line in enumerate(lines[:HEAD_ROWS], start=1):
        delimiter = sniff_delimiter(line)
        rows.append((number, delimiter, next(csv.reader([line], delimiter=delimiter), [])))
    return rows


def find_sheet(source: Source, sheets: list[tuple[str, list[list[str]]]]) -> Header | None:
    """The first sheet whose first rows hold the header; else the sheet with the best try."""
    names = tuple(name for name, _ in sheets)
    best = None
    for name, rows in sheets:
        header = find_header(source, [(n, ",", cells) for n, cells in enumerate(rows[:HEAD_ROWS], start=1)])
        if header is None:
            continue
        header = replace(header, sheet=name, sheets=names)
        if header.found:
            return header
        if best is None or len(header.columns.positions) > len(best.columns.positions):
            best = header
    return best


def missing_detail(source: Source, header: Header | None) -> str:
    """What FILE_MISSING_COLUMN says: the missing columns and their accepted names, what the
    header has, the expected names nearest to the header's unknown ones, and the layout
    profiles of the source."""
    missing = header.columns.missing if header else [c.name for c in source.columns if c.required]
    names = []
    for name in missing:
        aliases = source.column(name).aliases
        names.append(f"'{name}'" + (f" (or {', '.join(aliases)})" if aliases else ""))
    cells = [c.strip() for c in header.cells if c.strip()] if header else []
    detail = f"{' and '.join(names)} (the header has: {', '.join(cells) or 'nothing'})"
    expected = [normalise_header_name(n) for c in source.columns for n in c.names]
    nearest = []
    for cell in header.columns.unknown if header else []:
        close = difflib.get_close_matches(normalise_header_name(cell), expected, n=1, cutoff=0.6)
        if close:
            nearest.append(f"{cell} -> {close[0]}")
    if nearest:
        detail += f"; nearest expected names: {', '.join(nearest)}"
    profiles = layouts_of(source.name)
    if profiles:
        detail += "; layouts read as they come: " + ", ".join(f"{p.name} ({p.example})" for p in profiles)
    return detail


def file_header(path: Path, source: Source, *, xlsx: bool) -> Header | None:
    """The header of a file on disk, found as the loader finds it (for reports pointing at cells)."""
    if not xlsx:
        return find_header(source, csv_rows(list(sniff_csv(path).head)))
    workbook = open_workbook(path, FileDigest())
    try:
        return find_sheet(source, sheet_heads(workbook, HEAD_ROWS))
    finally:
        workbook.close()
