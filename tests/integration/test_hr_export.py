"""`kinerja export` read back with openpyxl (and csv) and compared with the marts: sheets, headers,
NIP as text, neutralised formulas, number formats, frozen header and filters, flat memory."""

from __future__ import annotations

import csv
import itertools
import os
import subprocess
import sys
from decimal import Decimal

import openpyxl
import pytest

from pipelines import warehouse
from pipelines.export import writers
from pipelines.export.actions import KIND_ORDER
from pipelines.export.columns import DATA_SHEETS, KARTU_SKOR, PERBANDINGAN_UNIT, TINDAK_LANJUT
from pipelines.export.labels import RECOMMENDATION_KIND
from pipelines.export.workbook import export_period
from pipelines.period import Period
from tests.integration.conftest import CITY_MONTHS, FORMULA_NAMES

P = CITY_MONTHS[-1]
SHEETS = ["Ringkasan", "Tindak Lanjut", "Kartu Skor", "Rincian KPI", "Rekomendasi", "Kamus Kolom", "Aturan"]
CITY_SHEETS = ["Ringkasan", "Perbandingan Unit", *SHEETS[1:]]  # units side by side: the city's workbook
# The key of each data sheet's rows, by header, and the mart table it shows.
KEYS = {
    "Ringkasan": (("Kode Unit",), "unit_summary", "unit_code"),
    "Kartu Skor": (("NIP",), "employee_scorecard", "nip"),
    "Rincian KPI": (("NIP", "Kode KPI"), "employee_kpi", "nip, kpi_code"),
    "Rekomendasi": (("NIP", "Kode"), "recommendation", "nip, code"),
    "Tindak Lanjut": (("NIP", "Kode"), "recommendation", "nip, code"),
}


def kinerja(url, *args):
    env = {**os.environ, warehouse.URL_ENV: url}
    return subprocess.run([sys.executable, "-m", "pipelines", *args], capture_output=True, text=True,
                          timeout=300, env=env)


def mart(url, table: str, key: str) -> dict[tuple, dict]:
    with warehouse.connection(url) as conn, conn.cursor() as cur:
        cur.execute(f"select * from mart.{table} where period = %s", (P,))
        names = [c.name for c in cur.description]
        rows = [dict(zip(names, row)) for row in cur.fetchall()]
    keys = [k.strip() for k in key.split(",")]
    return {tuple(r[k] for k in keys): r for r in rows}


def as_read_back(value):
    """A mart value as openpyxl reads it from the workbook: numerics as doubles (Excel's 15
    significant digits, so a repeating decimal may differ in its last bit), text neutralised."""
    if isinstance(value, Decimal):
        return pytest.approx(float(value), rel=1e-14)
    return writers.neutralise(value)


def sheet_rows(ws) -> tuple[list[str], list[tuple]]:
    rows = list(ws.iter_rows(values_only=True))
    return list(rows[0]), rows[1:]


@pytest.fixture(scope="module")
def unit_workbooks(published_city, tmp_path_factory):
    url, _ = published_city
    out = tmp_path_factory.mktemp("export")
    with warehouse.connection(url) as conn:
        done = export_period(conn, Period.parse(P), out)
    return url, done.files


def test_one_workbook_per_unit_with_the_sheets_in_indonesian(unit_workbooks):
    url, files = unit_workbooks
    assert sorted(f.path.name for f in files) == sorted(f"kinerja-{P}-{u}.xlsx" for (u,) in mart(url, "unit_summary", "unit_code"))
    for written in files:
        book = openpyxl.load_workbook(written.path)
        assert book.sheetnames == SHEETS
        for name, columns in DATA_SHEETS.items():
            if name not in SHEETS:
                continue
            ws = book[name]
            header, rows = sheet_rows(ws)
            assert header == [c.header for c in columns]
            # The header row frozen, and the columns up to the employee's name (or the unit's).
            whose = "Nama" if "Nama" in header else "Nama Unit"
            assert ws.freeze_panes == f"{openpyxl.utils.get_column_letter(header.index(whose) + 2)}2"
            assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(columns))}{len(rows) + 1}"
            assert len(rows) == written.rows[name]
            assert ws.column_dimensions["B"].width == columns[1].width


def test_every_data_sheet_reads_back_equal_to_the_mart(unit_workbooks):
    url, files = unit_workbooks
    books = [openpyxl.load_workbook(f.path) for f in files]
    for name, (key_headers, table, key_columns) in KEYS.items():
        expected = mart(url, table, key_columns)
        columns = DATA_SHEETS[name]
        seen = {}
        for book in books:
            header, rows = sheet_rows(book[name])
            at = [header.index(h) for h in key_headers]
            for row in rows:
                seen[tuple(row[i] for i in at)] = row
        assert seen.keys() == expected.keys(), name
        for key, row in seen.items():
            for column, value in zip(columns, row):
                if column.origin and column.origin.startswith(f"mart.{table}."):
                    field = column.origin.split(".")[-1]
                    assert value == as_read_back(expected[key][field]), (name, key, column.header)


@pytest.fixture(scope="module")
def city_workbook(published_city, tmp_path_factory):
    url, _ = published_city
    with warehouse.connection(url) as conn:
        written = export_period(conn, Period.parse(P), tmp_path_factory.mktemp("city"), city=True).files[0]
    return url, openpyxl.load_workbook(written.path)


def test_the_action_list_names_each_employee_with_the_scorecard_figures_in_kind_order(city_workbook):
    url, book = city_workbook
    assert book.sheetnames == CITY_SHEETS
    header, rows = sheet_rows(book["Tindak Lanjut"])
    scorecard = mart(url, "employee_scorecard", "nip")
    assert len(rows) == len(mart(url, "recommendation", "nip, code")) > 20
    for row in rows:
        sent = scorecard[(row[header.index("NIP")],)]
        for column, value in zip(TINDAK_LANJUT, row):
            if column.origin and column.origin.startswith("mart.employee_scorecard."):
                assert value == as_read_back(sent[column.origin.split(".")[-1]]), column.header
        assert row[header.index("Tindak Lanjut")] == RECOMMENDATION_KIND[row[header.index("Jenis")]]
    units = [(unit, [KIND_ORDER.index(r[1]) for r in group]) for unit, group in itertools.groupby(rows, key=lambda r: r[0])]
    assert len(units) == len({unit for unit, _ in units})  # each unit's rows together
    for unit, kinds in units:
        assert kinds == sorted(kinds), unit  # PEMBINAAN first, then SUPPORT, TRAINING, REWARD
    tk = header.index("TK Tahun Berjalan")
    for (unit, kind, code), group in itertools.groupby(rows, key=lambda r: (r[0], r[1], r[header.index("Kode")])):
        ytd = [r[tk] for r in group]
        assert ytd == sorted(ytd, reverse=True), (unit, kind, code)  # the most TK this year first


def test_the_city_workbook_compares_units_and_flags_sources_missing_for_months(city_workbook):
    url, book = city_workbook
    header, rows = sheet_rows(book["Perbandingan Unit"])
    assert header == [c.header for c in PERBANDINGAN_UNIT]
    with warehouse.connection(url) as conn, conn.cursor() as cur:
        cur.execute("""select unit_code, count(*), avg(late_count), avg(early_leave_count), avg(tpp_deduction_pct)
                       from mart.employee_scorecard where period = %s group by unit_code order by unit_code""", (P,))
        expected = cur.fetchall()
        cur.execute("""select c.unit_code from meta.source_coverage c join meta.published_period p using (run_id, period)
                       where c.source = 'attendance' and c.status = 'MISSING'
                       group by c.unit_code having count(*) = %s""", (len(CITY_MONTHS),))
        missing = {code for (code,) in cur.fetchall()}
    assert [r[0] for r in rows] == [e[0] for e in expected] and missing
    summary = mart(url, "unit_summary", "unit_code")
    for row, (code, headcount, late, early, tpp) in zip(rows, expected):
        assert row[header.index("Jumlah Pegawai")] == headcount == summary[(code,)]["headcount"]
        for name, value in (("TL per Pegawai", late), ("PSW per Pegawai", early), ("Rata-rata Potongan TPP (%)", tpp)):
            assert row[header.index(name)] == (None if value is None else pytest.approx(float(value))), (code, name)
        flag = row[-1]
        assert (flag == f"presensi {len(CITY_MONTHS)} bulan berturut sejak {CITY_MONTHS[0]}") == (code in missing), row
        assert (flag is None) == (code not in missing), row


def test_every_sheet_is_set_up_to_print(city_workbook):
    _, book = city_workbook
    for ws in book.worksheets:
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9, ws.title
        assert ws.print_title_rows == "$1:$1" and "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    fitted, wide = book["Tindak Lanjut"], book["Kartu Skor"]
    assert fitted.sheet_properties.pageSetUpPr.fitToPage and fitted.page_setup.fitToWidth == 1
    assert fitted.page_setup.fitToHeight == 0
    # Too wide to read on one page: printed across pages, NIP and name repeated on each.
    assert not (wide.sheet_properties.pageSetUpPr and wide.sheet_properties.pageSetUpPr.fitToPage)
    assert wide.print_title_cols == "$A:$C" and wide.freeze_panes == "D2"
    assert [c.value for c in wide[1]][:8] == ["Periode", "NIP", "Nama", "Kode Unit", "Predikat", "Nilai Predikat",
                                             "Status Penilaian", "Arti Status"]  # what HR looks for, first


def test_nip_is_text_and_rates_are_percent(unit_workbooks):
    _, files = unit_workbooks
    ws = openpyxl.load_workbook(files[0].path)["Kartu Skor"]
    header = [c.value for c in ws[1]]
    nip, rate, tpp = (header.index(h) for h in ("NIP", "Tingkat Kehadiran", "Potongan TPP (%)"))
    for row in ws.iter_rows(min_row=2):
        assert row[nip].data_type == "s" and row[nip].number_format == "@" and len(row[nip].value) == 18
        if row[rate].value is not None:
            assert row[rate].number_format == "0.00%"
        if row[tpp].value is not None:
            assert row[tpp].number_format == "0.00"


def test_formula_like_names_are_shown_not_run(published_city, unit_workbooks):
    _, formula_nips = published_city
    url, files = unit_workbooks
    scorecard = mart(url, "employee_scorecard", "nip")
    assert [scorecard[(nip,)]["name"] for nip in formula_nips] == list(FORMULA_NAMES)  # published as sent
    names = {}
    for written in files:
        book = openpyxl.load_workbook(written.path)
        for ws in book.worksheets:
            for row in ws.iter_rows():
                assert all(cell.data_type != "f" for cell in row), ws.title
        names.update((row[1], row[2]) for row in sheet_rows(book["Kartu Skor"])[1])
    assert [names[nip] for nip in formula_nips] == ["'" + name for name in FORMULA_NAMES]


def test_a_sheet_longer_than_excel_allows_goes_on_in_a_second_sheet(published_city, tmp_path, monkeypatch):
    url, _ = published_city
    monkeypatch.setattr(writers.XlsxBook, "max_rows", 400)  # Excel's 1,048,576, made small
    with warehouse.connection(url) as conn:
        written = export_period(conn, Period.parse(P), tmp_path, city=True).files[0]
    book = openpyxl.load_workbook(written.path)
    parts = [ws for ws in book.worksheets if ws.title.startswith("Rincian KPI")]
    assert len(parts) > 2 and parts[1].title == "Rincian KPI (2)"
    assert book.sheetnames[-2:] == ["Kamus Kolom", "Aturan"]
    for ws in parts:
        assert [c.value for c in ws[1]] == [c.header for c in DATA_SHEETS["Rincian KPI"]]
        assert ws.max_row <= 400 and ws.auto_filter.ref.endswith(str(ws.max_row))
    assert sum(ws.max_row - 1 for ws in parts) == written.rows["Rincian KPI"] == len(mart(url, "employee_kpi", "nip, kpi_code"))


def test_city_csv_from_the_command_line_equals_the_mart(published_city, tmp_path):
    url, formula_nips = published_city
    done = kinerja(url, "export", "--period", P, "--city", "--format", "csv", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    folder = tmp_path / f"kinerja-{P}-KOTA"
    assert str(folder) in done.stdout
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"{s.lower().replace(' ', '_')}.csv" for s in CITY_SHEETS)
    with open(folder / "kartu_skor.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == [c.header for c in KARTU_SKOR]
    expected = mart(url, "employee_scorecard", "nip")
    assert len(rows) - 1 == len(expected)
    for row in rows[1:]:
        sent = expected[(row[1],)]
        for column, text in zip(KARTU_SKOR, row):
            if column.origin and column.origin.startswith("mart."):
                value = sent[column.origin.split(".")[-1]]
                assert text == ("" if value is None else str(writers.neutralise(value))), column.header
    assert {row[1]: row[2] for row in rows[1:] if row[1] in formula_nips} == {
        nip: "'" + name for nip, name in zip(formula_nips, FORMULA_NAMES)}


def test_export_refuses_what_is_not_published_and_warns_when_stale(published_city, tmp_path):
    url, _ = published_city
    unpublished = kinerja(url, "export", "--period", "2027-01", "--out", str(tmp_path))
    assert unpublished.returncode == 2 and "has not been published" in unpublished.stderr
    unknown = kinerja(url, "export", "--period", P, "--unit", "NOPE", "--out", str(tmp_path))
    assert unknown.returncode == 2 and "has no employees" in unknown.stderr
    assert kinerja(url, "export", "--period", P, "--format", "ods", "--out", str(tmp_path)).returncode == 2

    with warehouse.connection(url) as conn, conn, conn.cursor() as cur:
        cur.execute("update meta.published_period set stale_since = now(), stale_reason = 'uji' where period = %s", (P,))
    try:
        done = kinerja(url, "export", "--period", P, "--unit", "bkpp", "--out", str(tmp_path))
    finally:
        with warehouse.connection(url) as conn, conn, conn.cursor() as cur:
            cur.execute("update meta.published_period set stale_since = null, stale_reason = null where period = %s", (P,))
    assert done.returncode == 0 and "STALE" in done.stderr
    aturan = {row[1]: row[2] for row in openpyxl.load_workbook(tmp_path / f"kinerja-{P}-BKPP.xlsx")["Aturan"].iter_rows(values_only=True)}
    assert aturan["status"].startswith("USANG")


MEASURE = """
import resource, sys
from pathlib import Path
from pipelines.export.workbook import export_period
from pipelines.period import Period
from pipelines.warehouse import connection
with connection() as conn:
    export_period(conn, Period.parse(sys.argv[1]), Path(sys.argv[2]), city=True)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""

# A published period of `n` synthetic employees with three KPIs each, straight into the marts.
SYNTHETIC = """
insert into meta.run (period, command, outcome, rules_version) values (%(p)s, 'test', 'PUBLISHED', 'v');
insert into meta.published_period (period, run_id, rules_version, fingerprint, published_at)
select %(p)s, max(run_id), 'v', '-', now() from meta.run;
insert into mart.unit_summary (period, unit_code, headcount, scored, partial, insufficient_data, sangat_baik,
    baik, butuh_perbaikan, kurang_misconduct, sangat_kurang, rules_version, run_id, published_at)
select %(p)s, 'U', %(n)s, 0, %(n)s, 0, 0, 0, 0, 0, 0, 'v', max(run_id), now() from meta.run;
insert into mart.employee_scorecard (period, nip, name, unit_code, job_type, role, employment_type, schedule,
    status, status_reason, workdays_expected, days_present, days_excused, days_absent_unexcused, late_count,
    early_leave_count, late_minutes, attendance_rate, tpp_deduction_pct, rating_perilaku, rules_version, run_id,
    published_at)
select %(p)s, (198000000000000000 + i)::text, 'Pegawai ' || i, 'U', 'PELAKSANA', 'OFFICE', 'PNS', 'REGULAR',
       'PARTIAL', 'rating hasil kerja: SKP ' || i, 22, 21, 1, 0, i %% 4, i %% 3, i %% 50, 1, 0.5 * (i %% 7),
       'Sesuai Ekspektasi', 'v', (select max(run_id) from meta.run), now()
from generate_series(1, %(n)s) i;
insert into mart.employee_kpi (period, nip, kpi_code, value, numerator, denominator, target, sufficient, rule,
    sources, note, rules_version, run_id, published_at)
select s.period, s.nip, k, 0.95, 20, 21, 'target', true, 'R2', 'attendance', 'catatan ' || s.nip, 'v', s.run_id, now()
from mart.employee_scorecard s cross join unnest(array['ATTENDANCE_RATE', 'LATE_COUNT', 'TPP_DEDUCTION_PCT']) k
where s.period = %(p)s;
"""


def test_export_memory_stays_flat_as_headcount_grows(warehouse_url, db, tmp_path):
    """Ten times the employees, about the same peak memory: rows stream from the cursor to disk."""
    peaks = {}
    for period, n in (("2030-01", 1_500), ("2030-02", 15_000)):
        with db, db.cursor() as cur:
            cur.execute(SYNTHETIC, {"p": period, "n": n})
        done = subprocess.run([sys.executable, "-c", MEASURE, period, str(tmp_path / period)],
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        peaks[n] = int(done.stdout.split()[-1])
        assert (tmp_path / period / f"kinerja-{period}-KOTA.xlsx").stat().st_size > n * 100
    assert peaks[15_000] - peaks[1_500] < 15, peaks  # MiB
