"""`kinerja export`: one workbook per unit (or one for the city) of a published period, from the
marts alone. Every sheet is streamed from a server-side cursor inside one read-only snapshot, so
the sheets agree with each other and memory stays flat at any headcount."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pipelines.errors import UsageError
from pipelines.export.actions import ACTIONS, COMPARISON, KIND_ORDER, gap_text, persistent_gaps
from pipelines.export.columns import ATURAN, DATA_SHEETS, KAMUS, KPI, Column
from pipelines.export.labels import COVERAGE, SOURCES
from pipelines.export.published import PublishedPeriod, coverage, published_period, unit_codes
from pipelines.export.writers import CsvBook, XlsxBook
from pipelines.period import Period
from pipelines.progress import progress
from pipelines.resources import read_config, rules_version

CITY = "KOTA"
FETCH_ROWS = 5_000  # rows per round trip of a server-side cursor

_UNIT_FILTER = "(%(unit)s::text is null or s.unit_code = %(unit)s)"

_SQL = {
    "Ringkasan": f"""
        select {{columns}} from mart.unit_summary s
        where s.period = %(period)s and {_UNIT_FILTER} order by s.unit_code""",
    "Kartu Skor": f"""
        select {{columns}} from mart.employee_scorecard s
        where s.period = %(period)s and {_UNIT_FILTER} order by s.unit_code, s.nip""",
    "Rincian KPI": f"""
        select {{columns}} from mart.employee_kpi k
        join mart.employee_scorecard s using (period, nip)
        where s.period = %(period)s and {_UNIT_FILTER}
        order by s.unit_code, k.nip, array_position(%(kpi_order)s, k.kpi_code), k.kpi_code""",
    # Fixed select lists, shared with the report: their columns are in the sheet's order.
    "Perbandingan Unit": COMPARISON,
    "Tindak Lanjut": ACTIONS,
    "Rekomendasi": f"""
        select {{columns}} from mart.recommendation r
        join mart.employee_scorecard s using (period, nip)
        where s.period = %(period)s and {_UNIT_FILTER} order by s.unit_code, r.nip, r.kind, r.code""",
}
_ALIAS = {"employee_scorecard": "s", "unit_summary": "s", "employee_kpi": "k", "recommendation": "r"}

# Sections of config/rules.yml, explained for the Aturan sheet.
RULE_SECTIONS = {
    "version": "versi berkas aturan (naik setiap kali aturan berubah)",
    "calendar": "R1 kalender hari kerja: Senin–Jumat dikurangi libur nasional dan cuti bersama",
    "schedules": "R1, R2 jam kerja REGULAR (hari 1 = Senin), jam Ramadan, jendela presensi shift (jam)",
    "attendance": "R2 kategori terlambat (TL) dan pulang cepat (PSW): batas atas menit kategori 1–3",
    "tpp": "R3 potongan TPP dalam persen tunjangan: per kategori TL/PSW 1–4, per hari TK, TK berturut",
    "discipline": "R4 status disiplin menurut hari TK tahun berjalan (PP 94/2021, PNS saja, saran)",
    "perilaku": "R6 rating perilaku: minimal hari kerja, ambang Di Bawah dan Di Atas Ekspektasi",
    "hasil_kerja": "R7 rating hasil kerja per peran: loket layanan (SLA, IKM) dan petugas lapangan (R10)",
    "ikm": "R8 Indeks Kepuasan Masyarakat (PermenPANRB 14/2017): skala dan kategori",
    "predikat": "R11 matriks predikat PermenPANRB 6/2022 [rating hasil kerja][rating perilaku] dan nilai"
                " angka (Peraturan BKN 3/2023)",
    "recommendations": "R12 pemicu rekomendasi",
}


@dataclass
class Written:
    path: Path
    rows: dict[str, int]  # sheet -> data rows


@dataclass
class Exported:
    published: PublishedPeriod
    files: list[Written]


def export_period(conn, period: Period, out: Path, unit: str | None = None, city: bool = False,
                  fmt: str = "xlsx") -> Exported:
    """One workbook per unit of the period (only `unit` when given; one for the whole city when
    `city`). Raises UsageError when the period is not published or the unit has no employees."""
    if fmt not in ("xlsx", "csv"):
        raise UsageError(f"format {fmt!r} is not xlsx or csv")
    written = []
    try:  # conn must not be inside a transaction: the snapshot below starts one
        with conn.cursor() as cur:
            # One snapshot for every sheet and workbook: a publish running meanwhile is not half seen.
            cur.execute("set transaction isolation level repeatable read, read only")
            published = published_period(cur, period)
            units = unit_codes(cur, period)
            cover = coverage(cur, period)
            gaps = persistent_gaps(cur, period)
        if unit is not None and unit.strip().upper() not in units:
            raise UsageError(f"unit {unit!r} has no employees in {period}; units: {', '.join(units)}")
        targets = [None] if city else [unit.strip().upper()] if unit else units
        out.mkdir(parents=True, exist_ok=True)
        with progress(f"export {period}", len(targets)) as bar:
            for target in targets:
                written.append(_workbook(conn, published, target, cover, gaps, out, fmt))
                bar.step(written[-1].path.name)
    finally:
        conn.rollback()
    return Exported(published, written)


def file_stem(period: str, unit: str | None) -> str:
    return f"kinerja-{period}-{re.sub(r'[^A-Za-z0-9_-]', '_', unit or CITY)}"


def _workbook(conn, published: PublishedPeriod, unit: str | None, cover, gaps, out: Path, fmt: str) -> Written:
    stem = file_stem(published.period, unit)
    title = f"Kinerja ASN {published.period} — {unit or 'Kota'}"
    book = XlsxBook(out / f"{stem}.xlsx", title) if fmt == "xlsx" else CsvBook(out / stem, title)
    rows = {}
    params = {"period": published.period, "periods": [published.period], "unit": unit,
              "kpi_order": list(KPI), "kinds": KIND_ORDER}
    for name, columns in DATA_SHEETS.items():
        if name == "Perbandingan Unit" and unit is not None:
            continue  # units side by side: the city's workbook
        with book.sheet(name, columns) as sheet:
            for values in _stream(conn, name, columns, params):
                sheet.write(_complete(name, columns, values, cover, gaps))
        rows[name] = sheet.rows
    for name, columns, values in (("Kamus Kolom", KAMUS, _kamus_rows()),
                                  ("Aturan", ATURAN, _aturan_rows(published))):
        with book.sheet(name, columns) as sheet:
            for row in values:
                sheet.write(row)
        rows[name] = sheet.rows
    book.close()
    return Written(book.path, rows)


def _stream(conn, name: str, columns: list[Column], params: dict):
    """The sheet's mart columns, row by row, from a server-side cursor."""
    selected = []
    for column in columns:
        if column.origin and column.origin.startswith("mart."):
            _, table, field = column.origin.split(".")
            selected.append(f"{_ALIAS[table]}.{field}")
    with conn.cursor(name=f"export_{name.lower().replace(' ', '_')}") as cur:
        cur.itersize = FETCH_ROWS
        cur.execute(_SQL[name].format(columns=", ".join(selected)), params)
        yield from cur


def _complete(name: str, columns: list[Column], values: tuple, cover, gaps) -> list:
    """The mart values with the derived columns filled in: labels, and coverage per source."""
    values = iter(values)
    row: list = []
    for column in columns:
        if column.origin is None:
            row.append(column.labels.get(row[-1]))
        elif not column.origin.startswith("meta."):
            row.append(next(values))
    if name == "Perbandingan Unit":
        row.append(gap_text(gaps.get(row[0], []), SOURCES))
    if name == "Ringkasan":  # its coverage columns come last, from meta.source_coverage
        unit = cover.get(row[1], {})
        row += [unit.get(source, (None, None))[0] for source in SOURCES]
        row.append("; ".join(f"{SOURCES.get(source, source)} {COVERAGE.get(status, status)}: {reason}"
                             for source, (status, reason) in sorted(unit.items()) if status != "PRESENT") or None)
    return row


def _kamus_rows():
    for sheet, columns in DATA_SHEETS.items():
        for column in columns:
            origin = column.origin or "turunan: arti kolom di kirinya"
            yield sheet, column.header, origin, column.meaning, column.unit, column.rule
    for code, (name, unit, _) in KPI.items():
        yield "Rincian KPI (kode)", code, "mart.employee_kpi.kpi_code", name, unit, ""


def _aturan_rows(published: PublishedPeriod):
    current = rules_version()
    yield "Periode", "period", published.period, "periode yang diekspor"
    yield ("Periode", "status", published.status_text(),
           "terbit: angka final untuk aturan ini" if published.stale_since is None else
           "USANG: periode sebelumnya diterbitkan ulang dengan hasil lain; angka ini dapat berubah")
    yield "Periode", "rules_version", published.rules_version, "versi aturan saat periode diterbitkan (ada di setiap baris mart)"
    yield "Periode", "run_id", published.run_id, "run yang menerbitkan periode (meta.run)"
    yield "Periode", "published_at", f"{published.published_at:%Y-%m-%d %H:%M:%S} WIB", "waktu terbit"
    yield ("Periode", "aturan saat ini", current,
           "sama dengan versi terbit" if current == published.rules_version else
           "BERBEDA dari versi terbit: ambang di bawah ini adalah aturan saat ini, bukan yang dipakai;"
           " jalankan ulang periode agar sesuai")
    for section, value in read_config("rules.yml").items():
        for key, text in _flatten(value, section):
            yield section, key, text, RULE_SECTIONS.get(section, "")


def _flatten(value, key: str = ""):
    """(dotted key, text) for every leaf of a rules.yml section; a list of plain values is one leaf."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _flatten(v, f"{key}.{k}" if key else str(k))
    elif isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        for i, v in enumerate(value, start=1):
            if isinstance(v, dict):
                yield f"{key}[{i}]", ", ".join(f"{k}={w}" for k, w in v.items())
            else:
                yield from _flatten(v, f"{key}[{i}]")
    elif isinstance(value, list):
        yield key, ", ".join(str(v) for v in value)
    else:
        yield key, "" if value is None else str(value)
