"""One test per set-level rule and severity (R13), on small hand-made files, plus coverage (§5)."""

import pytest

from pipelines.monthly import run_period
from pipelines.period import Period
from tests.helpers import PNS_2, clean_employees, employee_row, pns_nip, query, write, write_employees

P = "2026-10"
STAFF = [pns_nip(i) for i in range(60)]


def stage(landing, period=P):
    return run_period(Period.parse(period), landing).staged.run


def rejected(db, run, file_name=None):
    sql = "select file_name, row_number, column_name, rule from meta.rejected_row where run_id = %s"
    params = [run.run_id]
    if file_name:
        sql += " and file_name = %s"
        params.append(file_name)
    return query(db, sql + " order by file_name, row_number", params)


def outcome(db, run, file_name):
    return query(db, "select outcome, rule, rows_read, rows_loaded, rows_rejected from meta.source_file"
                     " where run_id = %s and file_name = %s", (run.run_id, file_name))[0]


def punches(nips, day="2026-10-05", time="07:20"):
    return [f"{n},{day} {time}" for n in nips]


def attendance(landing, name, rows, period=P):
    write(landing, period, "attendance", name, "\n".join(["nip,punched_at", *rows]) + "\n")


@pytest.fixture
def staff(landing):
    write_employees(landing, P, *clean_employees(60))
    return landing


def test_duplicate_key_across_files_keeps_the_first_in_name_order(db, staff):
    header = "ticket_id,unit_code,service_code,officer_nip,received_at,completed_at,status"
    write(staff, P, "service_catalog", "c.csv", "service_code,service_name,sla_working_days\nKTP,KTP-el,1\n")
    rows = [f"T{i},DUKCAPIL,KTP,{STAFF[0]},2026-10-05 08:00,2026-10-06 09:00,SELESAI" for i in range(40)]
    write(staff, P, "service_tickets", "b_second.csv", "\n".join([header, rows[3], *[r.replace(",", "X,", 1) for r in rows]]) + "\n")
    write(staff, P, "service_tickets", "a_first.csv", "\n".join([header, *rows]) + "\n")
    run = stage(staff)
    assert rejected(db, run, "service_tickets/b_second.csv") == [("service_tickets/b_second.csv", 2, "ticket_id", "DUPLICATE_KEY")]
    assert query(db, "select detail from meta.rejected_row where rule = 'DUPLICATE_KEY'") == [("service_tickets/a_first.csv row 5",)]
    assert query(db, "select file_no from staging.service_tickets where ticket_id = 'T3'") == [(query(db, "select file_no from meta.source_file where file_name = 'service_tickets/a_first.csv'")[0][0],)]


def test_event_outside_the_period_is_rejected_and_a_wrong_month_file_refused(db, staff):
    attendance(staff, "a.csv", punches(STAFF[:40]) + ["%s,2026-09-30 07:20" % STAFF[40]])
    attendance(staff, "b.csv", punches(STAFF[:40], day="2026-09-15"))
    run = stage(staff)
    assert rejected(db, run, "attendance/a.csv") == [("attendance/a.csv", 42, "punched_at", "OUTSIDE_PERIOD")]
    assert outcome(db, run, "attendance/b.csv") == ("REJECTED", "FILE_WRONG_PERIOD", 40, 0, 40)
    assert rejected(db, run, "attendance/b.csv") == []  # a refused file's rows stay in the file


def test_the_period_starts_and_ends_at_midnight_wib(db, staff):
    # The suite and the set rule compare instants with the period's first instant and the next
    # period's, in WIB: one second either side of each boundary, and a time given in another zone.
    edges = ["2026-09-30 23:59:59", "2026-10-01 00:00:00", "2026-10-31 23:59:59", "2026-11-01 00:00:00",
             "2026-10-01T00:30:00+08:00"]  # the last: 2026-09-30 23:30 WIB
    attendance(staff, "a.csv", punches(STAFF[:40]) + punches(STAFF[:40], day="2026-10-06")
               + [f"{STAFF[40 + k]},{edge}" for k, edge in enumerate(edges)])
    run = stage(staff)
    assert rejected(db, run, "attendance/a.csv") == [
        ("attendance/a.csv", row, "punched_at", "OUTSIDE_PERIOD") for row in (82, 85, 86)
    ]
    assert query(db, "select unexpected_count from meta.validation_result where run_id = %s"
                     " and source = 'attendance' and rule = 'OUTSIDE_PERIOD'", (run.run_id,)) == [(3,)]


def test_night_shift_checkout_on_the_first_of_next_month_belongs_to_the_period(db, landing):
    shift, office = pns_nip(100), pns_nip(101)
    write_employees(landing, P, *clean_employees(40),
                    f"{shift},Perawat,RSUD,PNS,FUNGSIONAL,OFFICE,SHIFT,2020-01-01,",
                    f"{office},Staf,RSUD,PNS,PELAKSANA,OFFICE,REGULAR,2020-01-01,")
    write(landing, P, "rosters", "r.csv", f"nip,shift_date,shift_start,shift_end\n{shift},2026-10-31,23:00,07:00\n")
    attendance(landing, "a.csv", punches(STAFF[:40]) + [
        f"{shift},2026-10-31 22:55", f"{shift},2026-11-01 07:10",  # rows 42, 43: both in the period
        f"{office},2026-11-01 07:25",  # row 44: a REGULAR punch of next month
    ])
    run = stage(landing)
    assert rejected(db, run, "attendance/a.csv") == [("attendance/a.csv", 44, "punched_at", "OUTSIDE_PERIOD")]
    assert query(db, "select count(*) from staging.attendance where nip = %s", (shift,)) == [(2,)]


def test_ticket_rules_date_order_required_when_done_unknown_service(db, staff):
    header = "ticket_id,unit_code,service_code,officer_nip,received_at,completed_at,status"
    write(staff, P, "service_catalog", "c.csv", "service_code,service_name,sla_working_days\nKTP,KTP-el,1\n")
    good = [f"T{i},DUKCAPIL,KTP,{STAFF[i % 10]},2026-10-05 08:00,2026-10-06 09:00,SELESAI" for i in range(80)]
    bad = [
        f"B1,DUKCAPIL,KTP,{STAFF[0]},2026-10-07 08:00,2026-10-06 09:00,SELESAI",  # row 82
        "B2,DUKCAPIL,KTP,,2026-10-05 08:00,2026-10-06 09:00,SELESAI",  # row 83
        f"B3,DUKCAPIL,PASPOR,{STAFF[0]},2026-10-05 08:00,2026-10-06 09:00,SELESAI",  # row 84
        "B4,DUKCAPIL,KTP,,2026-10-05 08:00,,PROSES",  # row 85: fine, not done yet
    ]
    write(staff, P, "service_tickets", "t.csv", "\n".join([header, *good, *bad]) + "\n")
    run = stage(staff)
    assert rejected(db, run, "service_tickets/t.csv") == [
        ("service_tickets/t.csv", 82, "completed_at", "DATE_ORDER"),
        ("service_tickets/t.csv", 83, "officer_nip", "REQUIRED"),
        ("service_tickets/t.csv", 84, "service_code", "UNKNOWN_SERVICE"),
    ]
    reason = query(db, "select reason from meta.rejected_row where rule = 'REQUIRED'")[0][0]
    assert "when status is SELESAI" in reason


def test_unknown_employee_is_rejected(db, staff):
    attendance(staff, "a.csv", punches(STAFF[:40]) + [f"{PNS_2},2026-10-05 07:20"])
    run = stage(staff)
    assert rejected(db, run) == [("attendance/a.csv", 42, "nip", "UNKNOWN_EMPLOYEE")]


def test_rows_of_a_refused_employees_file_do_not_count_toward_five_percent(db, staff):
    others = [pns_nip(200 + i) for i in range(10)]
    write(staff, P, "employees", "z_bad.csv", "\n".join(
        ["nip,name,unit_code,employment_type,job_type,role,active_from"]
        + [f"{n},X,DPU,PNS,PELAKSANA,OFFICE,2020-01-01" for n in others]
        + [f"{n},X,DPU,PNS,PELAKSANA,OFFICE,31/09/2020" for n in [pns_nip(300), pns_nip(301)]]) + "\n")
    attendance(staff, "a.csv", punches(STAFF[:40]) + punches(others))  # 10 of 50 rows: 20 %
    run = stage(staff)
    assert outcome(db, run, "employees/z_bad.csv")[:2] == ("REJECTED", "FILE_TOO_MANY_REJECTED")
    assert outcome(db, run, "attendance/a.csv") == ("LOADED", None, 50, 40, 10)
    assert {r[3] for r in rejected(db, run, "attendance/a.csv")} == {"EMPLOYEE_FILE_REFUSED"}


def test_too_many_rejected_rows_refuse_the_file(db, staff):
    attendance(staff, "a.csv", punches(STAFF[:40]) + [f"{STAFF[0]},kemarin"] * 3)
    run = stage(staff)
    assert outcome(db, run, "attendance/a.csv") == ("REJECTED", "FILE_TOO_MANY_REJECTED", 43, 0, 43)
    assert "3 of 43 (7.0 %, more than 5 %)" in query(db, "select message from meta.source_file where file_name = 'attendance/a.csv'")[0][0]


def _survey_files(landing, period, tickets, surveys):
    write(landing, period, "service_catalog", "c.csv", "service_code,service_name,sla_working_days\nKTP,KTP-el,1\n")
    write(landing, period, "service_tickets", "t.csv", "\n".join(
        ["ticket_id,unit_code,service_code,officer_nip,received_at,completed_at,status"]
        + [f"{t},DUKCAPIL,KTP,{STAFF[0]},{period}-20 08:00,{period}-21 09:00,SELESAI" for t in tickets]) + "\n")
    write(landing, period, "service_surveys", "s.csv", "\n".join(
        ["response_id,ticket_id,submitted_at,u1"]
        + [f"R{period}{i},{t},{P}-22 10:00,4" for i, t in enumerate(surveys)]) + "\n")


def test_a_survey_of_an_earlier_periods_ticket_is_known_an_unknown_one_rejected(db, landing):
    write_employees(landing, "2026-09", *clean_employees(60))
    _survey_files(landing, "2026-09", ["OLD1"], [])
    (landing / "2026-09" / "service_surveys" / "s.csv").unlink()
    stage(landing, "2026-09")
    write_employees(landing, P, *clean_employees(60))
    _survey_files(landing, P, [f"N{i}" for i in range(40)], [f"N{i}" for i in range(40)] + ["OLD1", "NOWHERE"])
    run = stage(landing)
    assert rejected(db, run, "service_surveys/s.csv") == [("service_surveys/s.csv", 43, "ticket_id", "UNKNOWN_TICKET")]


def coverage(db, run, source="attendance"):
    return dict(query(db, "select unit_code, status from meta.source_coverage where run_id = %s and source = %s",
                      (run.run_id, source)))


def test_coverage_missing_incomplete_present(db, landing):
    units = {"FULL": [pns_nip(i) for i in range(10)], "PART": [pns_nip(20 + i) for i in range(10)],
             "NONE": [pns_nip(40 + i) for i in range(5)]}
    write_employees(landing, P, *[employee_row(n, unit=u) for u, nips in units.items() for n in nips])
    attendance(landing, "a.csv", punches(units["FULL"] * 4) + punches(units["PART"][:6] * 6))
    run = stage(landing)
    assert coverage(db, run) == {"FULL": "PRESENT", "PART": "INCOMPLETE", "NONE": "MISSING"}
    reason = query(db, "select reason from meta.source_coverage where unit_code = 'PART' and source = 'attendance'")[0][0]
    assert reason == ("4 dari 10 pegawai yang punya hari kerja tidak punya presensi sama sekali"
                      " (ekspor tidak lengkap?)")


def test_partial_export_needs_three_missing_employees(db, landing):
    nips = [pns_nip(i) for i in range(5)]
    write_employees(landing, P, *[employee_row(n, unit="KECIL") for n in nips])
    attendance(landing, "a.csv", punches(nips[:3] * 15))  # 2 of 5 without a punch: 40 %, but only 2
    assert coverage(db, stage(landing)) == {"KECIL": "PRESENT"}


def test_employees_on_leave_all_month_do_not_make_an_export_partial(db, landing):
    nips = [pns_nip(i) for i in range(10)]
    write_employees(landing, P, *[employee_row(n, unit="U") for n in nips])
    write(landing, P, "leave", "l.csv", "nip,date_from,date_to,leave_type\n" + "".join(
        f"{n},2026-09-20,2026-11-05,CS\n" for n in nips[6:]))
    attendance(landing, "a.csv", punches(nips[:6] * 10))
    assert coverage(db, stage(landing)) == {"U": "PRESENT"}


def test_a_unit_whose_only_file_was_refused_is_refused_not_missing(db, landing):
    nips = [pns_nip(i) for i in range(20)]
    write_employees(landing, P, *[employee_row(n, unit="A") for n in nips[:10]], *[employee_row(n, unit="B") for n in nips[10:]])
    attendance(landing, "a.csv", punches(nips[:10] * 3))
    attendance(landing, "b.csv", punches(nips[10:] * 3) + [f"{nips[10]},2026-13-01 07:00"] * 5)
    run = stage(landing)
    assert coverage(db, run) == {"A": "PRESENT", "B": "REFUSED"}


def test_row_count_far_from_recent_mean_is_only_a_warning(db, landing):
    nips = [pns_nip(i) for i in range(40)]
    for period in ("2026-08", "2026-09"):
        write_employees(landing, period, *[employee_row(n, unit="U") for n in nips])
        attendance(landing, "a.csv", punches(nips * 3, day=f"{period}-10"), period=period)
        stage(landing, period)
    write_employees(landing, P, *[employee_row(n, unit="U") for n in nips])
    attendance(landing, "a.csv", punches(nips))  # a third of the usual rows
    run = stage(landing)
    assert query(db, "select unit_code, source, rule from meta.landing_notice where run_id = %s and rule = 'WARN_ROW_COUNT'",
                 (run.run_id,)) == [("U", "attendance", "WARN_ROW_COUNT")]
    assert rejected(db, run) == []
