"""Files as departments really send them (tests/fixtures/layouts/): header names with spaces, a
title above the header, the data on a second sheet, a fingerprint machine's daily summary and
log, dates written month first. Through a run and through `kinerja check`."""

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from pipelines.check import check_file, render
from pipelines.monthly import run_period
from pipelines.period import Period
from tests.helpers import PNS_1, PNS_2, employee_row, query, write, write_employees

P = "2026-10"
FIXTURES = Path(__file__).parent.parent / "fixtures" / "layouts"


def land(landing, name: str) -> Path:
    target = landing / P / "attendance" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURES / name, target)
    return target


def rekap_xlsx(path: Path) -> Path:
    """A workbook as an HR system exports it: a summary first, the punches on sheet 'Data' under
    a title merged across the columns, NIPs as text cells, times as date-time cells."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook()
    book.active.title = "Ringkasan"
    book.active.append(["Jumlah pegawai", 2])
    data = book.create_sheet("Data")
    data["A1"] = "REKAP ABSENSI OKTOBER 2026"
    data.merge_cells("A1:C1")
    data.append([])
    data.append(["NIP", "Waktu Presensi", "Jenis"])  # row 3
    for day in range(1, 11):
        for nip in (PNS_1, PNS_2):
            data.append([nip, dt.datetime(2026, 10, day, 7, 30), "Masuk"])
            data.append([nip, dt.datetime(2026, 10, day, 16, 45), "Pulang"])
    data.append([198501012010011001, dt.datetime(2026, 10, 12, 7, 30), "Masuk"])  # row 44: NIP as a number
    book.save(path)
    return path


@pytest.fixture
def employees(landing):
    return write_employees(landing, P, employee_row(PNS_1), employee_row(PNS_2, name="Ani"))


def outcome(db, run_id, name):
    return query(db, "select outcome, rule, rows_read, rows_loaded, rows_rejected from meta.source_file"
                     " where run_id = %s and file_name = %s", (run_id, f"attendance/{name}"))[0]


def notices(db, run_id, name):
    return query(db, "select rule, detail from meta.landing_notice where run_id = %s and path = %s order by rule",
                 (run_id, f"attendance/{name}"))


def staged(db, run_id, name):
    return query(
        db,
        "select a.row_number, a.nip, to_char(a.punched_at, 'YYYY-MM-DD HH24:MI'), a.direction"
        " from staging.attendance a join meta.source_file f using (run_id, file_no)"
        " where a.run_id = %s and f.file_name = %s order by 1, 3",
        (run_id, f"attendance/{name}"),
    )


def rejected(db, run_id, name):
    return query(db, "select row_number, column_name, value, rule, raw_row from meta.rejected_row"
                     " where run_id = %s and file_name = %s order by 1", (run_id, f"attendance/{name}"))


def test_real_world_layouts_load_in_a_run(db, landing, employees):
    for name in ("judul_berspasi.csv", "judul_laporan_di_atas.csv", "ringkasan_harian_mesin.csv",
                 "log_mesin_zkteco.csv", "tanggal_satu_digit.csv"):
        land(landing, name)
    rekap_xlsx(landing / P / "attendance" / "rekap_absensi.xlsx")
    run = run_period(Period.parse(P), landing).staged.run

    assert outcome(db, run.run_id, "judul_berspasi.csv") == ("LOADED", None, 20, 20, 0)
    assert notices(db, run.run_id, "judul_berspasi.csv") == []
    assert staged(db, run.run_id, "judul_berspasi.csv")[:2] == [
        (2, PNS_1, "2026-10-01 07:11", "IN"), (3, PNS_1, "2026-10-01 16:31", "OUT")]

    # Title rows above the header: row numbers stay the spreadsheet's.
    assert outcome(db, run.run_id, "judul_laporan_di_atas.csv") == ("LOADED", None, 21, 20, 1)
    assert notices(db, run.run_id, "judul_laporan_di_atas.csv") == [("NOTICE_HEADER_ROW", "4")]
    assert staged(db, run.run_id, "judul_laporan_di_atas.csv")[0] == (5, PNS_1, "2026-10-01 07:21", "IN")
    assert rejected(db, run.run_id, "judul_laporan_di_atas.csv") == [
        (25, "punched_at", "31/09/2026 07:00", "DATETIME_FORMAT", f"{PNS_1};31/09/2026 07:00;IN")]

    # The daily summary: a punch per filled time, none for an empty one; a bad row is one row.
    assert outcome(db, run.run_id, "ringkasan_harian_mesin.csv") == ("LOADED", None, 24, 23, 1)
    assert notices(db, run.run_id, "ringkasan_harian_mesin.csv") == [("NOTICE_LAYOUT", "daily_summary")]
    summary = staged(db, run.run_id, "ringkasan_harian_mesin.csv")
    assert len(summary) == 15 + 14  # 8 workdays each; one without check-out, one rejected
    assert summary[:2] == [(2, PNS_1, "2026-10-01 07:11", "IN"), (2, PNS_1, "2026-10-01 16:31", "OUT")]
    assert [p for p in summary if p[0] == 10] == [(10, PNS_1, "2026-10-09 07:19", "IN")]  # no check-out
    assert not [p for p in summary if p[0] in (4, 5)]  # the weekend: no times, no punches
    assert rejected(db, run.run_id, "ringkasan_harian_mesin.csv") == [
        (20, "punched_at", "07/10/2026 16.30", "DATETIME_FORMAT", f"19,{PNS_2},Ani Lestari,07/10/2026,07:17,16.30")]

    # The machine log: AC-No. is the NIP, its states are directions, its other columns expected.
    assert outcome(db, run.run_id, "log_mesin_zkteco.csv") == ("LOADED", None, 24, 24, 0)
    assert notices(db, run.run_id, "log_mesin_zkteco.csv") == [("NOTICE_LAYOUT", "machine_log")]
    log = staged(db, run.run_id, "log_mesin_zkteco.csv")
    assert log[:2] == [(2, PNS_1, "2026-10-01 07:01", "IN"), (3, PNS_1, "2026-10-01 16:01", "OUT")]
    assert {d for *_, d in log} == {"IN", "OUT"}

    assert outcome(db, run.run_id, "tanggal_satu_digit.csv") == ("LOADED", None, 14, 14, 0)
    assert staged(db, run.run_id, "tanggal_satu_digit.csv")[0] == (2, PNS_2, "2026-10-01 07:30", "IN")

    # The workbook: sheet 'Data' read, its header on row 3, the NIP typed as a number reported.
    assert outcome(db, run.run_id, "rekap_absensi.xlsx") == ("LOADED", None, 41, 40, 1)
    assert notices(db, run.run_id, "rekap_absensi.xlsx") == [("NOTICE_HEADER_ROW", "3"), ("NOTICE_SHEET", "Data")]
    assert staged(db, run.run_id, "rekap_absensi.xlsx")[0] == (4, PNS_1, "2026-10-01 07:30", "IN")
    assert [r[:4] for r in rejected(db, run.run_id, "rekap_absensi.xlsx")] == [
        (44, "nip", "1.98501012010011E+17", "NIP_AS_NUMBER")]


@pytest.mark.parametrize("name, example", [
    ("tanggal_bulan_dulu.csv", "'10/1/2026 07:30' in punched_at, row 2"),
    ("tanggal_bulan_dulu_awal_bulan.csv", "'10/1/2026 07:30' in punched_at, row 2"),
])
def test_month_first_dates_are_refused_as_such_in_a_run(db, landing, employees, name, example):
    land(landing, name)
    run = run_period(Period.parse(P), landing).staged.run
    refused = outcome(db, run.run_id, name)
    assert refused[:2] == ("REJECTED", "FILE_DATE_ORDER") and refused[2] == refused[4] > 0
    detail = query(db, "select detail, message from meta.source_file where run_id = %s and file_name = %s",
                   (run.run_id, f"attendance/{name}"))[0]
    assert detail[0] == example
    assert "month/day (MM/DD/YYYY)" in detail[1]


def test_month_first_dates_are_not_guessed_without_a_period(landing, employees, tmp_path):
    """Unknown period: only the dates themselves can tell (a second number over 12)."""
    loose = tmp_path / "loose"
    loose.mkdir()
    for name in ("tanggal_bulan_dulu.csv", "tanggal_bulan_dulu_awal_bulan.csv"):
        shutil.copy(FIXTURES / name, loose / name)
    late = check_file(loose / "tanggal_bulan_dulu.csv", "attendance").file
    assert (late.rule, late.detail) == ("FILE_DATE_ORDER", "'10/13/2026 07:30' in punched_at, row 18")
    early = check_file(loose / "tanggal_bulan_dulu_awal_bulan.csv", "attendance")
    assert early.file.outcome == "LOADED" and early.file.rule is None


def kinerja(*args):
    return subprocess.run([sys.executable, "-m", "pipelines", *args], capture_output=True, text=True, timeout=300)


def test_check_reports_sheet_header_row_and_layout(landing, employees):
    path = rekap_xlsx(landing / P / "attendance" / "rekap_absensi.xlsx")
    report = check_file(path, "attendance")
    assert [(p.row_number, p.header, p.letter, p.rule) for p in report.problems] == [(44, "NIP", "A", "NIP_AS_NUMBER")]
    text = render(report, "id")
    assert "judul kolom ada di baris 3" in text and "lembar 'Data' yang dibaca" in text
    assert "baris 3 = judul kolom" in text
    summary = check_file(land(landing, "ringkasan_harian_mesin.csv"), "attendance")
    assert (summary.file.rows_read, summary.file.rows_rejected) == (24, 1)
    assert "dibaca sebagai tata letak 'daily_summary'" in render(summary, "id")
    assert "read as layout 'daily_summary'" in render(summary, "en")


def test_check_says_dates_are_month_first(landing, employees):
    path = land(landing, "tanggal_bulan_dulu_awal_bulan.csv")
    done = kinerja("check", str(path), "--source", "attendance")
    assert done.returncode == 3, done.stdout + done.stderr
    assert "[FILE_DATE_ORDER]" in done.stdout and "FILE_WRONG_PERIOD" not in done.stdout
    assert ("tanggal tampaknya berformat bulan/hari (MM/DD/YYYY), mis. '10/1/2026 07:30' di punched_at, baris 2;"
            " simpan ulang dengan format hari/bulan/tahun") in done.stdout
    en = kinerja("check", str(path), "--source", "attendance", "--lang", "en")
    assert "the dates appear to be written month/day (MM/DD/YYYY)" in en.stdout


def test_check_of_an_unknown_layout_names_the_columns_the_nearest_names_and_the_profiles(landing, employees):
    path = land(landing, "tata_letak_tak_dikenal.csv")
    report = check_file(path, "attendance")
    assert report.file.rule == "FILE_MISSING_COLUMN"
    en = render(report, "en")
    assert "the header has: Kode Pegawai, Nama, Waktu Absen, Status Absen" in en
    assert "nearest expected names: Waktu Absen -> waktu_presensi" in en
    assert "machine_log (AC-No.,Name,Time,State), daily_summary (No,NIP,Nama,Tanggal,Jam Masuk,Jam Pulang)" in en
    text = render(report, "id")
    assert "baris judul berisi: Kode Pegawai, Nama, Waktu Absen, Status Absen" in text
    assert "nama terdekat yang dikenal: Waktu Absen -> waktu_presensi" in text
    assert "tata letak yang dibaca apa adanya: machine_log" in text


def test_one_month_first_typo_in_a_day_first_file_is_only_its_row(landing, employees):
    text = (FIXTURES / "tanggal_satu_digit.csv").read_text()
    rows = text.splitlines() + [f"{PNS_1},{d}/10/2026 07:3{d % 10},IN" for d in range(13, 31)]
    rows.append(f"{PNS_1},10/13/2026 07:30,IN")  # row 34: typed month first
    path = write(landing, P, "attendance", "typo.csv", "\n".join(rows) + "\n")
    report = check_file(path, "attendance")
    assert report.file.outcome == "LOADED"
    assert [(p.row_number, p.rule) for p in report.problems] == [(34, "DATETIME_FORMAT")]
