"""Hand-made extracts through a run of the period: what loads, what is rejected with which rule, accounting."""

import codecs

import openpyxl
import pytest

from pipelines.errors import DataRefused
from pipelines.monthly import run_period
from pipelines.period import Period
from tests.helpers import PNS_1, PNS_2, PPPK_1, clean_employees, employee_row, query, write, write_employees

P = "2026-10"


def stage(landing, period=P):
    return run_period(Period.parse(period), landing).staged


def files(db, run_id):
    return {
        name: (outcome, rule, read, loaded, rejected)
        for name, outcome, rule, read, loaded, rejected in query(
            db,
            "select file_name, outcome, rule, rows_read, rows_loaded, rows_rejected"
            " from meta.source_file where run_id = %s",
            (run_id,),
        )
    }


def rejections(db, run_id, file_name):
    return query(
        db,
        "select row_number, column_name, rule from meta.rejected_row"
        " where run_id = %s and file_name = %s order by row_number, rule",
        (run_id, file_name),
    )


def test_parse_rules_reject_rows_with_code_column_and_raw_row(db, landing):
    write_employees(
        landing, P,
        employee_row(PNS_1),
        employee_row(PPPK_1, kind="PPPK"),
        employee_row("1.98501E+17"),  # row 4
        employee_row("19850101201001100"),  # row 5: 17 digits
        employee_row("198513012010011001"),  # row 6: birth month 13
        f"{PNS_2},Ani,BKPP,PNS,PELAKSANA,OFFICE,REGULAR,31/09/2026,",  # row 7
        f"{PNS_2},Ani,BKPP,PNS,PELAKSANA,OFFICE,REGULAR,2026-10-01,,extra",  # row 8
        ",NoNip,BKPP,PNS,PELAKSANA,OFFICE,REGULAR,2026-10-01,",  # row 9
        f"{PNS_2},Ani,BKPP,PNS,STAFF,OFFICE,REGULAR,2026-10-01,",  # row 10
        *clean_employees(200),  # rows 11-210 keep the file under the 5 % threshold
    )
    run = stage(landing).run
    assert files(db, run.run_id)["employees/bkpp.csv"] == ("LOADED", None, 209, 202, 7)
    assert rejections(db, run.run_id, "employees/bkpp.csv") == [
        (4, "nip", "NIP_AS_NUMBER"),
        (5, "nip", "NIP_LENGTH"),
        (6, "nip", "NIP_FORMAT"),
        (7, "active_from", "DATE_FORMAT"),
        (8, None, "ROW_FIELD_COUNT"),
        (9, "nip", "REQUIRED"),
        (10, "job_type", "VALUE_NOT_ALLOWED"),
    ]
    raw, reason = query(db, "select raw_row, reason from meta.rejected_row where row_number = 4")[0]
    assert raw.startswith("1.98501E+17,Budi") and "format the column as text" in reason
    assert query(db, "select nip, row_number from staging.employees order by row_number limit 3") == [
        (PNS_1, 2), (PPPK_1, 3), (clean_employees(1)[0].split(",")[0], 11)
    ]


def test_windows_excel_export_semicolons_cp1252_crlf_day_first(db, landing):
    write_employees(landing, P, employee_row(PNS_1))
    text = (
        "NIP_Pegawai ; Nama;KODE_UNIT;status_pegawai;jenis_jabatan;peran;jadwal;tmt_aktif\r\n"
        f"{PNS_2};Nur\u2019aini \u00c9lan;bkpp ;PNS;PELAKSANA;OFFICE;;05/10/2026\r\n"
    )
    write(landing, P, "employees", "z_excel.csv", text, encoding="cp1252")
    run = stage(landing).run
    assert files(db, run.run_id)["employees/z_excel.csv"][:1] == ("LOADED",)
    assert query(db, "select name, unit_code, schedule, active_from::text from staging.employees where nip = %s", (PNS_2,)) == [
        ("Nur\u2019aini \u00c9lan", "BKPP", "REGULAR", "2026-10-05")
    ]
    assert query(db, "select encoding, delimiter from meta.source_file where file_name = 'employees/z_excel.csv'") == [("WIN1252", ";")]


def test_decimal_comma_only_with_semicolons(db, landing):
    write_employees(landing, P, employee_row(PNS_1))
    write(landing, P, "service_catalog", "a.csv", "kode_layanan;nama_layanan;standar_hari_kerja\nKTP;KTP-el;3,0\n")
    clean = "".join(f"S{i},Layanan {i},{i % 15}\n" for i in range(60))
    write(landing, P, "service_catalog", "b.csv", "service_code,service_name,sla_working_days\nKK,Kartu Keluarga,\"3,0\"\nAKTA,Akta,-1\n" + clean)
    run = stage(landing).run
    assert query(db, "select service_code, sla_working_days from staging.service_catalog where file_no = 2") == [("KTP", 3)]
    assert rejections(db, run.run_id, "service_catalog/b.csv") == [
        (2, "sla_working_days", "NUMBER_FORMAT"), (3, "sla_working_days", "RANGE")
    ]


def test_bom_and_quoted_line_breaks_keep_spreadsheet_row_numbers(db, landing):
    text = codecs.BOM_UTF8.decode() + (
        "nip,name,unit_code,employment_type,job_type,role,schedule,active_from\n"
        f'{PNS_1},"Budi\nSantoso",BKPP,PNS,PELAKSANA,OFFICE,REGULAR,2020-01-01\n'
        f"{PNS_2},Ani,BKPP,PNS,PELAKSANA,OFFICE,REGULAR,2020-13-01\n"
        + "".join(r.rsplit(",", 1)[0] + "\n" for r in clean_employees(40))
    )
    write(landing, P, "employees", "a.csv", text)
    run = stage(landing).run
    assert query(db, "select name from staging.employees where row_number = 2") == [("Budi\nSantoso",)]
    assert rejections(db, run.run_id, "employees/a.csv") == [(3, "active_from", "DATE_FORMAT")]


def test_blank_lines_are_not_rows(db, landing):
    write(landing, P, "employees", "a.csv", "\n".join(
        ["nip,name,unit_code,employment_type,job_type,role,active_from", ",,,,,,", "",
         f"{PNS_1},Budi,BKPP,PNS,PELAKSANA,OFFICE,2020-01-01", ""]))
    run = stage(landing).run
    assert files(db, run.run_id)["employees/a.csv"] == ("LOADED", None, 1, 1, 0)
    assert query(db, "select row_number from staging.employees") == [(4,)]


def test_blank_lines_are_not_rows_when_the_file_is_read_by_lines(db, landing):
    # A row with a value too many: PostgreSQL's CSV parser refuses the file, the line path reads
    # it. A line of delimiters only is blank there too; one that starts with a delimiter is not.
    write_employees(landing, P, ",,,,,,,,", " ,", *clean_employees(40), employee_row("").replace("Budi", "Ani"),
                    employee_row(PNS_2) + ",extra")
    run = stage(landing).run
    assert files(db, run.run_id)["employees/bkpp.csv"] == ("LOADED", None, 42, 40, 2)
    assert rejections(db, run.run_id, "employees/bkpp.csv") == [(44, "nip", "REQUIRED"), (45, None, "ROW_FIELD_COUNT")]


def _xlsx(path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)


def test_xlsx_first_sheet_dates_and_numeric_nip(db, landing):
    import datetime as dt

    write_employees(landing, P, employee_row(PNS_1), *clean_employees(40))
    _xlsx(landing / P / "leave" / "cuti.xlsx", [
        ["NIP", "tanggal_mulai", "tanggal_selesai", "jenis_cuti"],
        [PNS_1, dt.datetime(2026, 10, 5), dt.date(2026, 10, 7), "ct"],
        [198501012010011001, dt.datetime(2026, 10, 5), dt.date(2026, 10, 7), "CT"],
        *[[r.split(",")[0], dt.date(2026, 10, 12), dt.date(2026, 10, 12), "DL"] for r in clean_employees(40)],
    ])
    run = stage(landing).run
    assert query(db, "select nip, date_from::text, date_to::text, leave_type from staging.leave where row_number = 2") == [
        (PNS_1, "2026-10-05", "2026-10-07", "CT")
    ]
    assert rejections(db, run.run_id, "leave/cuti.xlsx") == [(3, "nip", "NIP_AS_NUMBER")]
    assert query(db, "select value from meta.rejected_row")[0][0] == "1.98501012010011E+17"


@pytest.mark.parametrize(
    "name, content, rule",
    [
        ("dup.csv", "nip,punched_at,waktu\n%s,2026-10-05 07:00,x\n" % PNS_1, "FILE_DUPLICATE_COLUMN"),
        ("missing.csv", "nip,jenis\n%s,IN\n" % PNS_1, "FILE_MISSING_COLUMN"),
        ("empty.csv", "nip,punched_at\n", "FILE_EMPTY"),
        ("zero.csv", "", "FILE_EMPTY"),
        ("junk.csv", b"nip,punched_at\n\x81\x8d\x8f,\x90\x9d\n", "FILE_ENCODING"),
        ("nul.csv", b"nip,punched_at\n\x00\x00\x00,1\n", "FILE_ENCODING"),
        ("unclosed.csv", 'nip,punched_at\n"%s,2026-10-05 07:00\n' % PNS_1, "FILE_UNREADABLE"),
        ("fake.xlsx", "this is not a workbook", "FILE_UNREADABLE"),
        ("photo.jpg", "\xff\xd8", "FILE_TYPE"),
    ],
)
def test_refused_file_leaves_the_others_loaded(db, landing, name, content, rule):
    write_employees(landing, P, employee_row(PNS_1))
    write(landing, P, "attendance", "a_good.csv", f"nip,punched_at\n{PNS_1},2026-10-05 07:00\n")
    path = landing / P / "attendance" / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    run = stage(landing).run
    result = files(db, run.run_id)
    outcome, got_rule, read, loaded, rejected = result[f"attendance/{name}"]
    assert (outcome, got_rule, loaded) == ("REJECTED", rule, 0) and read == rejected
    assert result["attendance/a_good.csv"][0] == "LOADED"
    assert query(db, "select count(*) from staging.attendance") == [(1,)]
    message = query(db, "select message from meta.source_file where file_name = %s", (f"attendance/{name}",))[0][0]
    assert message


def test_missing_column_message_says_what_to_do(db, landing):
    write_employees(landing, P, employee_row(PNS_1))
    write(landing, P, "attendance", "a.csv", "nip,jenis\n%s,IN\n" % PNS_1)
    stage(landing)
    message = query(db, "select message from meta.source_file where file_name = 'attendance/a.csv'")[0][0]
    assert "'punched_at' (or waktu, waktu_presensi)" in message and "the header has: nip, jenis" in message


def test_no_usable_employees_file_refuses_the_run_and_keeps_staging(db, landing):
    write_employees(landing, P, employee_row(PNS_1))
    first = stage(landing).run
    (landing / P / "employees" / "bkpp.csv").write_text("nip,nama\n")  # now refused: columns missing
    with pytest.raises(DataRefused, match="no usable employees file"):
        stage(landing)
    assert query(db, "select run_id from meta.staged_period where period = %s", (P,)) == [(first.run_id,)]
    assert query(db, "select run_id, nip from staging.employees") == [(first.run_id, PNS_1)]
    assert query(db, "select outcome from meta.run order by run_id") == [("PUBLISHED",), ("REFUSED",)]


def test_rerun_replaces_the_period_and_empties_absent_sources(db, landing):
    write_employees(landing, P, employee_row(PNS_1))
    write(landing, P, "attendance", "a.csv", f"nip,punched_at\n{PNS_1},2026-10-05 07:00\n")
    stage(landing)
    (landing / P / "attendance" / "a.csv").unlink()
    second = stage(landing).run
    assert query(db, "select count(*) from staging.attendance") == [(0,)]
    assert query(db, "select distinct run_id from staging.employees") == [(second.run_id,)]


def test_malformed_corpus_gets_clear_refusals_and_loses_nothing(db, landing):
    write_employees(landing, P, employee_row(PNS_1), *clean_employees(40))
    folder = landing / P / "attendance"
    good = "".join(f"{PNS_1},2026-10-{d:02d} 07:00,MESIN-{'x' * 2_000_000 if d == 5 else d}\n" for d in range(1, 29))
    write(landing, P, "attendance", "huge_field.csv", "nip,punched_at,device_id\n" + good)
    (folder / "picture.csv").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    (folder / "control.csv").write_bytes(b"nip,punched_at\n" + PNS_1.encode() + b",2026-10-05 07:00\x01x\n")
    run = stage(landing).run
    result = files(db, run.run_id)
    assert result["attendance/huge_field.csv"] == ("LOADED", None, 28, 28, 0)
    for name in ("attendance/picture.csv", "attendance/control.csv"):
        outcome, rule, read, loaded, rejected = result[name]
        assert outcome == "REJECTED" and rule.startswith("FILE_") and loaded == 0 and read == rejected
    assert query(db, "select max(length(device_id)) from staging.attendance") == [(2_000_006,)]


def test_well_formed_files_use_the_native_parser_and_keep_their_raw_rows(db, landing, tmp_path, monkeypatch):
    from pipelines.timing import TIMINGS_ENV

    timings = tmp_path / "timings.tsv"
    monkeypatch.setenv(TIMINGS_ENV, str(timings))
    # well formed: read by PostgreSQL's CSV parser; the rejected row's raw row is rebuilt, quoted
    bad = f'{PNS_2},"Ani, S.Kom",BKPP,PNS,PELAKSANA,OFFICE,REGULAR,31/09/2026,'
    write_employees(landing, P, employee_row(PNS_1), bad, *clean_employees(40))
    # a quote inside a value: read by the line path, the quote stays text
    write_employees(landing, P, f'{PPPK_1},Budi "Bud" S,BKPP,PPPK,PELAKSANA,OFFICE,REGULAR,2020-01-01,', name="z.csv")
    run = stage(landing).run
    assert query(db, "select row_number, rule, raw_row from meta.rejected_row where run_id = %s", (run.run_id,)) == [
        (3, "DATE_FORMAT", bad)
    ]
    assert query(db, "select name from staging.employees where nip = %s", (PPPK_1,)) == [('Budi "Bud" S',)]
    steps = [line.split("\t")[0] for line in timings.read_text().splitlines()]
    assert steps.count("COPY") == 2 and steps.count("COPY (lines: fallback)") == 1
