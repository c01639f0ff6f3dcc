"""Scoring rules R1-R12, given -> expected, on small hand-made landing folders run end to end
(`run_period`: stage, score, publish) against the real warehouse. Every period gets a holidays
extract, so its calendar is exactly what the test says."""

from decimal import Decimal

import pytest

from pipelines.errors import DataRefused
from pipelines.explain import explain_text
from pipelines.monthly import run_period
from pipelines.period import Period
from pipelines.report import summary_text
from tests.helpers import (
    PPPK_1,
    day_punches,
    pns_nip,
    query,
    rows_as_dicts,
    staff,
    workdays,
    write,
    write_attendance,
    write_employees,
    write_holidays,
)

SEP, OCT = "2026-09", "2026-10"
SEP_DAYS = workdays(SEP)  # 22: Tuesday 1 September to Wednesday 30 September
OCT_DAYS = workdays(OCT)  # 22: Thursday 1 October to Friday 30 October


def run(landing, period=SEP):
    return run_period(Period.parse(period), landing)


def card(db, nip, period=SEP) -> dict:
    rows = rows_as_dicts(db, "select * from mart.employee_scorecard where period = %s and nip = %s", (period, nip))
    assert len(rows) == 1, f"{nip} in {period}: {rows}"
    return rows[0]


def days_except(days, *excluded: str):
    return [d for d in days if d.isoformat() not in excluded]


def month(landing, period, employees, attendance, holidays=()):
    write_employees(landing, period, *employees)
    write_attendance(landing, period, attendance)
    write_holidays(landing, period, *holidays)


# R2: lateness is whole minutes, categories, undirected single punches, missing check-in/out.


def test_lateness_edges_and_single_punches(db, landing):
    e1, e2 = pns_nip(1), pns_nip(2)
    special = ("2026-09-01", "2026-09-02", "2026-09-03", "2026-09-04")
    punches = day_punches(e1, days_except(SEP_DAYS, *special)) + [
        f"{e1},2026-09-01 07:30:59,IN", f"{e1},2026-09-01 16:35:00,OUT",  # on time
        f"{e1},2026-09-02 07:31:00,IN", f"{e1},2026-09-02 16:35:00,OUT",  # 1 minute: TL1
        f"{e1},2026-09-03 08:01:00,IN", f"{e1},2026-09-03 16:35:00,OUT",  # 31 minutes: TL2
        f"{e1},2026-09-04 07:15:00,IN", f"{e1},2026-09-04 16:29:00,OUT",  # Friday ends 16:30: PSW1
        f"{e1},2026-09-14 07:15:00,IN",  # an identical punch repeated: loaded, adds nothing
    ]
    special2 = ("2026-09-07", "2026-09-08", "2026-09-09", "2026-09-10", "2026-09-11")
    punches += day_punches(e2, days_except(SEP_DAYS, *special2)) + [
        f"{e2},2026-09-07 07:20:00,",  # single undirected punch before noon: check-in only -> PSW4
        f"{e2},2026-09-08 16:10:00,",  # single undirected punch from noon: check-out only -> TL4
        f"{e2},2026-09-09 16:10:00,OUT",  # no check-in -> TL4
        f"{e2},2026-09-10 07:20:00,IN",  # no check-out -> PSW4
        f"{e2},2026-09-11 07:20:00,", f"{e2},2026-09-11 16:40:00,",  # two undirected: in and out
    ]
    month(landing, SEP, [staff(e1), staff(e2)], punches)
    run(landing)
    assert query(db, "select count(*) from meta.rejected_row") == [(0,)]

    one = card(db, e1)
    assert (one["days_present"], one["late_count"], one["late_minutes"], one["early_leave_count"]) == (22, 2, 32, 1)
    assert one["tpp_deduction_pct"] == Decimal("2.00")  # TL1 0.5 + TL2 1.0 + PSW1 0.5
    assert one["rating_perilaku"] == "Sesuai Ekspektasi"  # no TK, but TL + PSW = 3 > 1

    two = card(db, e2)
    assert (two["days_present"], two["late_count"], two["late_minutes"], two["early_leave_count"]) == (22, 2, 0, 2)
    assert two["tpp_deduction_pct"] == Decimal("10.00")  # four category-4 occurrences x 2.5
    assert two["rating_perilaku"] == "Di Bawah Ekspektasi"  # deduction >= 10
    per_day = query(
        db,
        "select day::text, tl, psw, to_char(check_in at time zone 'Asia/Jakarta', 'HH24:MI'),"
        " to_char(check_out at time zone 'Asia/Jakarta', 'HH24:MI') from intermediate.attendance_day"
        " where nip = %s and day between '2026-09-07' and '2026-09-11' order by day",
        (e2,),
    )
    assert per_day == [
        ("2026-09-07", None, 4, "07:20", None),
        ("2026-09-08", 4, None, None, "16:10"),
        ("2026-09-09", 4, None, None, "16:10"),
        ("2026-09-10", None, 4, "07:20", None),
        ("2026-09-11", None, None, "07:20", "16:40"),
    ]


# R1, R2: leave, active ranges, the minimum of 10 working days for a rating.


def test_leave_new_hires_and_leavers(db, landing):
    cuti, hired, late_hire, leaver = pns_nip(3), pns_nip(4), pns_nip(5), pns_nip(6)
    punches = day_punches(cuti, days_except(SEP_DAYS, *[f"2026-09-{d}" for d in (14, 15, 16, 17, 18, 21, 22)]))
    punches.append(f"{cuti},2026-09-15 09:00:00,IN")  # on leave that day: no lateness measured
    punches += day_punches(hired, workdays(SEP, since="2026-09-16"))
    punches += day_punches(late_hire, workdays(SEP, since="2026-09-21"))
    punches += day_punches(leaver, [d for d in SEP_DAYS if d.day <= 10])
    employees = [staff(cuti), staff(hired, active_from="2026-09-16"), staff(late_hire, active_from="2026-09-21"),
                 staff(leaver, active_to="2026-09-10")]
    month(landing, SEP, employees, punches)
    write(landing, SEP, "leave", "cuti.csv", f"nip,date_from,date_to,leave_type\n{cuti},2026-09-14,2026-09-18,CT\n")
    run(landing)

    c = card(db, cuti)
    assert (c["workdays_expected"], c["days_excused"], c["days_present"], c["days_absent_unexcused"]) == (22, 5, 15, 2)
    assert c["late_count"] == 0 and c["attendance_rate"] == Decimal("0.8824")  # 15 / (22 - 5)
    assert c["tpp_deduction_pct"] == Decimal("10.00") and c["rating_perilaku"] == "Di Bawah Ekspektasi"

    h = card(db, hired)  # Wednesday 16 September to the 30th: 3 + 5 + 3 working days
    assert (h["workdays_expected"], h["days_present"], h["rating_perilaku"]) == (11, 11, "Di Atas Ekspektasi")
    assert h["status"] == "PARTIAL"  # office role: hasil kerja needs the supervisor's SKP

    short = card(db, late_hire)  # from Monday 21 September: 8 working days, below the minimum of 10
    assert (short["workdays_expected"], short["rating_perilaku"], short["status"]) == (8, None, "INSUFFICIENT_DATA")
    assert "8 hari kerja" in short["status_reason"] and "minimal 10" in short["status_reason"]
    assert card(db, leaver)["workdays_expected"] == 8  # 1-4 and 7-10 September


# §5: a unit without attendance, and a partial export, never read as absence.


def test_missing_and_partial_attendance_withhold_the_rating(db, landing):
    ok, dpu = pns_nip(7), pns_nip(8)
    dinkes = [pns_nip(10 + i) for i in range(4)]
    employees = [staff(ok), staff(dpu, unit="DPU"), *(staff(n, unit="DINKES") for n in dinkes)]
    punches = day_punches(ok, SEP_DAYS) + day_punches(dinkes[0], SEP_DAYS)  # 3 of 4 DINKES: no punch
    month(landing, SEP, employees, punches)
    run(landing)

    assert card(db, ok)["rating_perilaku"] == "Di Atas Ekspektasi"
    for nip, words in [(dpu, "data presensi unit DPU tidak ada pada periode ini"),
                       *((n, "data presensi unit DINKES tidak lengkap (ekspor unit ini hanya sebagian)") for n in dinkes)]:
        c = card(db, nip)
        assert c["days_absent_unexcused"] is None and c["days_present"] is None and c["tpp_deduction_pct"] is None
        assert c["rating_perilaku"] is None and c["status"] == "INSUFFICIENT_DATA"
        assert words in c["status_reason"]
        assert c["workdays_expected"] == 22 and c["unexcused_days_ytd"] == 0
    units = dict(query(db, "select unit_code, missing_sources from mart.unit_summary where period = %s", (SEP,)))
    assert units == {"BKPP": None, "DPU": "attendance (MISSING)", "DINKES": "attendance (INCOMPLETE)"}


# R3, R4 across periods: year-to-date flags and a TK run across the month boundary.


def test_year_to_date_flags_and_a_tk_run_across_two_periods(db, landing):
    run10, ytd3, pppk, broken = pns_nip(20), pns_nip(21), PPPK_1, pns_nip(22)
    people = [staff(run10), staff(ytd3), staff(pppk, kind="PPPK"), staff(broken)]
    sep = day_punches(run10, [d for d in SEP_DAYS if d.day < 22])  # TK 22-30 September: 7 days
    sep += day_punches(ytd3, days_except(SEP_DAYS, "2026-09-08", "2026-09-10"))
    sep += day_punches(pppk, days_except(SEP_DAYS, "2026-09-08", "2026-09-10"))
    sep += day_punches(broken, days_except(SEP_DAYS, "2026-09-28", "2026-09-29", "2026-09-30"))
    month(landing, SEP, people, sep)
    oct_ = day_punches(run10, days_except(OCT_DAYS, "2026-10-01", "2026-10-02", "2026-10-05"))
    oct_ += day_punches(ytd3, days_except(OCT_DAYS, "2026-10-06"))
    oct_ += day_punches(pppk, days_except(OCT_DAYS, "2026-10-06"))
    oct_ += day_punches(broken, days_except(OCT_DAYS, "2026-10-01", "2026-10-06"))  # present on 2 October
    month(landing, OCT, people, oct_)
    run(landing, SEP)
    run(landing, OCT)

    s, o = card(db, run10, SEP), card(db, run10, OCT)
    assert (s["days_absent_unexcused"], s["tpp_deduction_pct"], s["tk_run_trailing"]) == (7, Decimal("35.00"), 7)
    assert (s["unexcused_days_ytd"], s["discipline_flag"]) == (7, "PERNYATAAN_TIDAK_PUAS")
    # 7 + 3 consecutive TK working days across the boundary (weekends do not break the run)
    assert (o["days_absent_unexcused"], o["tpp_deduction_pct"]) == (3, Decimal("100.00"))
    assert (o["unexcused_days_ytd"], o["discipline_flag"]) == (10, "PEMBERHENTIAN_BERTURUT")

    assert (card(db, ytd3, SEP)["unexcused_days_ytd"], card(db, ytd3, SEP)["discipline_flag"]) == (2, None)
    assert (card(db, ytd3, OCT)["unexcused_days_ytd"], card(db, ytd3, OCT)["discipline_flag"]) == (3, "TEGURAN_LISAN")
    assert card(db, ytd3, OCT)["tpp_deduction_pct"] == Decimal("5.00")
    assert (card(db, pppk, OCT)["unexcused_days_ytd"], card(db, pppk, OCT)["discipline_flag"]) == (3, None)

    # 3 trailing TK days + 1 October, then present on 2 October: the run breaks at 4
    b = card(db, broken, OCT)
    assert (b["days_absent_unexcused"], b["tpp_deduction_pct"], b["unexcused_days_ytd"]) == (2, Decimal("10.00"), 5)
    assert card(db, broken, SEP)["discipline_flag"] == "TEGURAN_LISAN" and b["discipline_flag"] == "TEGURAN_TERTULIS"
    recs = query(db, "select nip, code from mart.recommendation where period = %s and kind = 'PEMBINAAN'", (OCT,))
    assert sorted(recs) == sorted([(run10, "DISIPLIN"), (ytd3, "DISIPLIN"), (broken, "DISIPLIN")])


# R2 shifts: windows, night shifts across midnight and across the month's end.


def test_night_shifts_mid_month_and_on_the_last_day(db, landing):
    nurse, clerk = pns_nip(30), pns_nip(31)
    people = [staff(nurse, unit="RSUD", schedule="SHIFT"), staff(clerk)]
    rosters = "nip,shift_date,shift_start,shift_end\n" + "".join(
        f"{nurse},{d},{a},{b}\n" for d, a, b in [
            ("2026-09-10", "22:00", "06:00"), ("2026-09-12", "07:00", "15:00"), ("2026-09-15", "22:00", "06:00"),
            ("2026-09-20", "07:00", "15:00"), ("2026-09-30", "22:00", "06:00"),
        ]
    )
    write(landing, SEP, "rosters", "rsud.csv", rosters)
    punches = day_punches(clerk, SEP_DAYS) + [
        f"{nurse},2026-09-10 21:50:00,IN", f"{nurse},2026-09-11 06:10:00,OUT",  # on time, across midnight
        f"{nurse},2026-09-12 06:50:00,OUT", f"{nurse},2026-09-12 15:05:00,IN",  # direction ignored
        f"{nurse},2026-09-15 22:20:00,IN", f"{nurse},2026-09-16 05:30:00,OUT",  # TL1 20 min, PSW1 30 min
        # 20 September: no punch -> TK
        f"{nurse},2026-09-30 21:55:00,IN", f"{nurse},2026-10-01 06:05:00,OUT",  # check-out in October
    ]
    month(landing, SEP, people, punches)
    write(landing, OCT, "rosters", "rsud.csv", f"nip,shift_date,shift_start,shift_end\n{nurse},2026-10-01,07:00,15:00\n")
    oct_ = day_punches(clerk, OCT_DAYS) + [
        f"{nurse},2026-10-01 06:05:00,OUT",  # September's check-out: October ignores it
        f"{nurse},2026-10-01 07:10:00,IN", f"{nurse},2026-10-01 15:00:00,OUT",
    ]
    month(landing, OCT, people, oct_)
    run(landing, SEP)
    run(landing, OCT)
    assert query(db, "select count(*) from meta.rejected_row") == [(0,)]

    s = card(db, nurse, SEP)
    assert (s["workdays_expected"], s["days_present"], s["days_absent_unexcused"]) == (5, 4, 1)
    assert (s["late_count"], s["late_minutes"], s["early_leave_count"]) == (1, 20, 1)
    assert s["tpp_deduction_pct"] == Decimal("6.00")  # 0.5 + 0.5 + 5
    last = query(
        db, "select to_char(check_out at time zone 'Asia/Jakarta', 'MM-DD HH24:MI'), psw from intermediate.attendance_day"
        " where nip = %s and day = '2026-09-30'", (nurse,))
    assert last == [("10-01 06:05", None)]
    o = card(db, nurse, OCT)  # check-in 07:10, not September's 06:05
    assert (o["days_present"], o["late_count"], o["late_minutes"]) == (1, 1, 10)


def test_a_shift_worker_without_roster_has_no_working_days(db, landing):
    nurse, clerk = pns_nip(32), pns_nip(33)
    month(landing, SEP, [staff(nurse, unit="RSUD", schedule="SHIFT"), staff(clerk, unit="RSUD")],
          day_punches(clerk, SEP_DAYS) + day_punches(nurse, SEP_DAYS))
    run(landing)
    c = card(db, nurse)
    # no working days, so no absence either (never the Monday-Friday calendar)
    assert (c["workdays_expected"], c["days_absent_unexcused"], c["rating_perilaku"]) == (0, 0, None)
    assert c["status"] == "INSUFFICIENT_DATA" and "data jadwal shift unit" in c["status_reason"]


# R9: working days between received and completed; R8: IKM arithmetic; R12 training triggers.

TICKET_HEADER = "ticket_id,unit_code,service_code,officer_nip,received_at,completed_at,status"
CATALOG = "service_code,service_name,sla_working_days\nKTP,KTP-el,1\nKK,Kartu Keluarga,0\nAKTA,Akta,2\n"


def test_sla_counts_working_days_over_weekends_and_holidays(db, landing):
    officer, other = pns_nip(40), pns_nip(41)
    people = [staff(officer, unit="DISDUKCAPIL", role="SERVICE_COUNTER"),
              staff(other, unit="DISDUKCAPIL", role="SERVICE_COUNTER")]
    month(landing, SEP, people, day_punches(officer, SEP_DAYS) + day_punches(other, SEP_DAYS),
          holidays=("2026-09-16",))
    write(landing, SEP, "service_catalog", "layanan.csv", CATALOG)
    tickets = [
        f"T1,DISDUKCAPIL,KTP,{officer},2026-09-04 10:00,2026-09-07 09:00,SELESAI",  # Fri -> Mon: 1, met
        f"T2,DISDUKCAPIL,KTP,{officer},2026-09-15 10:00,2026-09-17 11:00,SELESAI",  # 16th a holiday: 1, met
        f"T3,DISDUKCAPIL,KK,{officer},2026-09-21 08:00,2026-09-21 15:00,SELESAI",  # same day: 0, met
        f"T4,DISDUKCAPIL,AKTA,{officer},2026-09-01 08:00,2026-09-04 10:00,SELESAI",  # 3 > 2: missed
        f"T5,DISDUKCAPIL,KTP,{officer},2026-08-28 10:00,2026-09-01 09:00,SELESAI",  # 31 Aug + 1 Sep: missed
        "T6,DISDUKCAPIL,KTP,,2026-09-29 10:00,,PROSES",  # not completed: not counted
        f"T7,DISDUKCAPIL,KK,{other},2026-09-22 10:00,2026-09-22 11:00,SELESAI",
    ]
    write(landing, SEP, "service_tickets", "tiket.csv", "\n".join([TICKET_HEADER, *tickets]) + "\n")
    run(landing)

    taken = query(db, "select ticket_id, working_days_taken, met from intermediate.ticket_sla order by 1")
    assert taken == [("T1", 1, True), ("T2", 1, True), ("T3", 0, True), ("T4", 3, False), ("T5", 2, False),
                     ("T7", 0, True)]
    c = card(db, officer)
    assert (c["tickets_completed"], c["sla_met_rate"]) == (5, Decimal("0.6000"))
    assert c["rating_hasil_kerja"] is None and c["status"] == "PARTIAL"
    assert "5 tiket selesai (minimal 30)" in c["status_reason"]
    unit = rows_as_dicts(db, "select * from mart.unit_summary where unit_code = 'DISDUKCAPIL'")[0]
    assert (unit["tickets_completed"], unit["sla_met_rate"]) == (6, Decimal("0.6667"))
    kpi = query(db, "select value, numerator, denominator, sufficient from mart.employee_kpi"
                    " where nip = %s and kpi_code = 'SLA_MET_RATE'", (officer,))
    assert kpi == [(Decimal("0.6000"), Decimal(3), Decimal(5), False)]


def test_ikm_is_the_plain_mean_of_answered_elements_and_triggers_training(db, landing):
    officer = pns_nip(42)
    month(landing, SEP, [staff(officer, unit="DISDUKCAPIL", role="SERVICE_COUNTER")], day_punches(officer, SEP_DAYS))
    write(landing, SEP, "service_catalog", "layanan.csv", CATALOG)
    tickets = [f"T{i},DISDUKCAPIL,KK,{officer},2026-09-0{1 + i % 3} 09:00,2026-09-0{1 + i % 3} 10:00,SELESAI"
               for i in range(10)]
    write(landing, SEP, "service_tickets", "tiket.csv", "\n".join([TICKET_HEADER, *tickets]) + "\n")
    # u1-u8 always 3; u9: four 4s, four 3s, two unanswered -> NRR_u9 = 3.5
    u9 = ["4"] * 4 + ["3"] * 4 + [""] * 2
    surveys = [f"R{i},T{i},2026-09-10 12:00,{','.join(['3'] * 8)},{u9[i]}" for i in range(10)]
    header = "response_id,ticket_id,submitted_at," + ",".join(f"u{k}" for k in range(1, 10))
    write(landing, SEP, "service_surveys", "skm.csv", "\n".join([header, *surveys]) + "\n")
    run(landing)

    c = card(db, officer)
    # 25 x (8 x 3 + 3.5) / 9 = 76.3888... -> 76.39 (not 76.31 from weights rounded to 0.111)
    assert (c["ikm"], c["ikm_category"], c["ikm_responses"]) == (Decimal("76.39"), "C", 10)
    recs = dict(query(db, "select code, reason from mart.recommendation where nip = %s", (officer,)))
    assert set(recs) == {"PELAYANAN_PRIMA", "KOMPETENSI_TEKNIS"}
    assert "IKM 76,39 dari 10 responden" in recs["PELAYANAN_PRIMA"] and "(U7) 3,0000" in recs["PELAYANAN_PRIMA"]
    assert "(U6) 3,0000" in recs["KOMPETENSI_TEKNIS"] and "di bawah 3,0644" in recs["KOMPETENSI_TEKNIS"]


# R6, R7, R11, R12: every cell of the predikat matrix, REWARD and SUPPORT.

LEVELS = ("Di Atas Ekspektasi", "Sesuai Ekspektasi", "Di Bawah Ekspektasi")
MATRIX = {  # (hasil kerja, perilaku) -> predikat, PermenPANRB 6/2022
    (LEVELS[0], LEVELS[2]): "Kurang/Misconduct", (LEVELS[0], LEVELS[1]): "Baik", (LEVELS[0], LEVELS[0]): "Sangat Baik",
    (LEVELS[1], LEVELS[2]): "Kurang/Misconduct", (LEVELS[1], LEVELS[1]): "Baik", (LEVELS[1], LEVELS[0]): "Baik",
    (LEVELS[2], LEVELS[2]): "Sangat Kurang", (LEVELS[2], LEVELS[1]): "Butuh Perbaikan",
    (LEVELS[2], LEVELS[0]): "Butuh Perbaikan",
}


def _counter_month(landing, period, cells):
    """Nine counter officers: SLA 30/30, 27/30 or 20/30 (hasil kerja Di Atas, Sesuai, Di Bawah) and
    perfect attendance, two TL1 days or three TK days (perilaku Di Atas, Sesuai, Di Bawah)."""
    days = workdays(period)
    people, punches, tickets = [], [], []
    for (hasil, perilaku), nip in cells.items():
        people.append(staff(nip, unit="MPP", role="SERVICE_COUNTER"))
        if perilaku == LEVELS[0]:
            punches += day_punches(nip, days)
        elif perilaku == LEVELS[1]:
            punches += day_punches(nip, days[2:]) + day_punches(nip, days[:2], check_in="07:40:00")
        else:
            punches += day_punches(nip, days[3:])
        met = {LEVELS[0]: 30, LEVELS[1]: 27, LEVELS[2]: 20}[hasil]
        for i in range(30):
            done = days[1 + i % (len(days) - 1)]
            received = done if i < met else days[i % (len(days) - 1)]  # the working day before: 1 > 0
            tickets.append(f"{period}-{nip}-{i},MPP,KK,{nip},{received} 09:00,{done} 10:00,SELESAI")
    month(landing, period, people, punches)
    write(landing, period, "service_catalog", "layanan.csv", CATALOG)
    write(landing, period, "service_tickets", "tiket.csv", "\n".join([TICKET_HEADER, *tickets]) + "\n")


def test_every_matrix_cell_reward_and_support(db, landing):
    cells = {cell: pns_nip(50 + i) for i, cell in enumerate(MATRIX)}
    _counter_month(landing, SEP, cells)
    _counter_month(landing, OCT, cells)
    run(landing, SEP)
    run(landing, OCT)
    for (hasil, perilaku), nip in cells.items():
        c = card(db, nip, OCT)
        assert (c["rating_hasil_kerja"], c["rating_perilaku"]) == (hasil, perilaku), nip
        assert (c["predikat"], c["status"]) == (MATRIX[(hasil, perilaku)], "SCORED")
    recs = query(db, "select nip, kind, code from mart.recommendation where period = %s", (OCT,))
    by_cell = {cell: {(k, c) for n, k, c in recs if n == nip} for cell, nip in cells.items()}
    for (hasil, perilaku), got in by_cell.items():
        predikat = MATRIX[(hasil, perilaku)]
        expected = set()
        if predikat == "Sangat Baik":
            expected.add(("REWARD", "KANDIDAT_PENGHARGAAN"))
        if perilaku == LEVELS[2]:
            expected.add(("PEMBINAAN", "DISIPLIN"))
        if predikat in ("Butuh Perbaikan", "Kurang/Misconduct", "Sangat Kurang"):  # so was September
            expected.add(("SUPPORT", "PENDAMPINGAN"))
        assert got == expected, (hasil, perilaku)
    assert query(db, "select count(*) from mart.recommendation where period = %s and kind = 'SUPPORT'", (SEP,)) == [(0,)]
    predikat = dict(query(db, "select predikat, count(*) from mart.employee_scorecard where period = %s group by 1", (OCT,)))
    summary = rows_as_dicts(db, "select * from mart.unit_summary where period = %s", (OCT,))[0]
    assert (summary["headcount"], summary["scored"], summary["sangat_baik"], summary["baik"]) == (
        9, 9, predikat["Sangat Baik"], predikat["Baik"])


# R10: baselines from the 1-3 previous months whose violations were loaded.

ASSIGN_HEADER = "nip,area_code,date_from,date_to"
VIOLATION_HEADER = "violation_id,area_code,occurred_at,violation_type,detected_by,action,officer_nip"


def _violations(period, area, count, detected_by="CAMERA", officer=""):
    first = Period.parse(period).first_day
    return [f"{period}-{area}-{detected_by}-{i},{area},{first.replace(day=1 + i % 28)} 10:00,PARKIR,{detected_by},,{officer}"
            for i in range(count)]


@pytest.mark.parametrize(
    "loaded, expected_change",
    [
        # no earlier month loaded: no baseline, no rating
        ({}, None),
        # one month: 62 in August / 31 days = 2.0 per day; September 40 over 20 days = 2.0 -> 0 %
        ({"2026-08": 62}, Decimal("0.00")),
        # June 92 and August 61 (July has no file): 153 / (30 + 31) days; (2.0 - 153/61) / (153/61) = -31/153
        ({"2026-06": 92, "2026-08": 61}, Decimal("-20.26")),
        # three months: (30 + 31 + 62) / 92 days = 123/92; (2 - 123/92) / (123/92) = 61/123 -> +49.59 %
        ({"2026-06": 30, "2026-07": 31, "2026-08": 62}, Decimal("49.59")),
    ],
)
def test_area_violation_change_against_loaded_months(db, landing, loaded, expected_change):
    officer, clerk = pns_nip(70), pns_nip(71)
    people = [staff(officer, unit="DISHUB", role="FIELD_OFFICER"), staff(clerk, unit="DISHUB")]
    for period in ("2026-06", "2026-07", "2026-08"):
        write_employees(landing, period, *people)
        write_holidays(landing, period)
        if period in loaded:  # PATROL records never count, in the baseline either
            rows = _violations(period, "A1", loaded[period]) + _violations(period, "A1", 9, "PATROL", officer)
            write(landing, period, "traffic_violations", "dishub.csv", "\n".join([VIOLATION_HEADER, *rows]) + "\n")
        run(landing, period)
    month(landing, SEP, people, day_punches(officer, SEP_DAYS) + day_punches(clerk, SEP_DAYS))
    write(landing, SEP, "area_assignments", "tugas.csv", f"{ASSIGN_HEADER}\n{officer},A1,2026-09-01,2026-09-20\n")
    current = [f"V{i},A1,2026-09-{1 + i % 20:02d} 10:00,PARKIR,{'CAMERA' if i % 2 else 'REPORT'},," for i in range(40)]
    current += [f"X{i},A1,2026-09-25 10:00,PARKIR,CAMERA,," for i in range(7)]  # not an assigned day
    current += [f"B{i},B2,2026-09-05 10:00,PARKIR,CAMERA,," for i in range(7)]  # another area
    current += [f"P{i},A1,2026-09-05 10:00,PARKIR,PATROL,GEMBOK,{officer}" for i in range(5)]  # own enforcement
    write(landing, SEP, "traffic_violations", "dishub.csv", "\n".join([VIOLATION_HEADER, *current]) + "\n")
    run(landing, SEP)

    c = card(db, officer)
    assert c["assigned_days"] == 20 and c["area_violation_change_pct"] == expected_change
    if expected_change is None:
        assert c["rating_hasil_kerja"] is None and "baseline" in c["status_reason"]
    else:
        expected = ("Di Atas Ekspektasi" if expected_change <= -10 else
                    "Di Bawah Ekspektasi" if expected_change >= 10 else "Sesuai Ekspektasi")
        assert c["rating_hasil_kerja"] == expected and c["status"] == "SCORED"
    kpi = rows_as_dicts(db, "select * from mart.employee_kpi where nip = %s and kpi_code = 'AREA_VIOLATION_CHANGE_PCT'",
                        (officer,))[0]
    assert kpi["numerator"] == Decimal(2) and "PATROL records shown, not counted: 5" in kpi["note"]


def test_baseline_weights_areas_by_assigned_days(db, landing):
    officer = pns_nip(72)
    people = [staff(officer, unit="DISHUB", role="FIELD_OFFICER")]
    write_employees(landing, "2026-08", *people)
    write_holidays(landing, "2026-08")
    rows = _violations("2026-08", "A1", 31) + _violations("2026-08", "B2", 93)  # 1.0 and 3.0 a day
    write(landing, "2026-08", "traffic_violations", "dishub.csv", "\n".join([VIOLATION_HEADER, *rows]) + "\n")
    run(landing, "2026-08")
    month(landing, SEP, people, day_punches(officer, SEP_DAYS))
    write(landing, SEP, "area_assignments", "tugas.csv",
          f"{ASSIGN_HEADER}\n{officer},A1,2026-09-01,2026-09-15\n{officer},B2,2026-09-16,2026-09-20\n")
    current = [f"V{i},A1,2026-09-{1 + i % 15:02d} 10:00,PARKIR,CAMERA,," for i in range(30)]
    write(landing, SEP, "traffic_violations", "dishub.csv", "\n".join([VIOLATION_HEADER, *current]) + "\n")
    run(landing, SEP)
    # baseline (15 x 1.0 + 5 x 3.0) / 20 = 1.5; current 30 / 20 = 1.5 -> 0 %
    assert card(db, officer)["area_violation_change_pct"] == Decimal("0.00")


# Publishing: idempotent, a refused run changes nothing, re-running an old period flags later ones.

LINEAGE = {"run_id", "published_at"}


def _published(db, table, period):
    rows = rows_as_dicts(db, f"select * from mart.{table} where period = %s order by 2, 3", (period,))
    return [{k: v for k, v in row.items() if k not in LINEAGE} for row in rows]


def _two_months(landing):
    a, b = pns_nip(80), pns_nip(81)
    for period, days in ((SEP, SEP_DAYS), (OCT, OCT_DAYS)):
        month(landing, period, [staff(a), staff(b, unit="DPU")], day_punches(a, days[1:]) + day_punches(b, days))
    return a, b


def test_a_second_run_publishes_identical_rows(db, landing):
    _two_months(landing)
    run(landing, SEP)
    first = {t: _published(db, t, SEP) for t in ("employee_scorecard", "employee_kpi", "recommendation", "unit_summary")}
    second_run = run(landing, SEP)
    again = {t: _published(db, t, SEP) for t in first}
    assert again == first and first["employee_scorecard"] and first["employee_kpi"]
    assert query(db, "select distinct run_id from mart.employee_scorecard") == [(second_run.published.run_id,)]
    assert second_run.published.stale == []


def test_a_refused_run_keeps_the_published_rows(db, landing):
    _two_months(landing)
    run(landing, SEP)
    before = rows_as_dicts(db, "select * from mart.employee_scorecard order by nip")
    (landing / SEP / "employees" / "bkpp.csv").write_text("nip,nama\n")
    with pytest.raises(DataRefused):
        run(landing, SEP)
    assert rows_as_dicts(db, "select * from mart.employee_scorecard order by nip") == before


def test_rerunning_an_old_period_flags_the_later_ones_stale(db, landing):
    a, _ = _two_months(landing)
    run(landing, SEP)
    run(landing, OCT)
    oct_rows = rows_as_dicts(db, "select * from mart.employee_scorecard where period = %s order by nip", (OCT,))
    # September's attendance changes: a no longer has a TK day, so October's year to date is stale
    write_attendance(landing, SEP, day_punches(a, SEP_DAYS) + day_punches(pns_nip(81), SEP_DAYS))
    result = run(landing, SEP)
    assert result.published.stale == [OCT]
    assert rows_as_dicts(db, "select * from mart.employee_scorecard where period = %s order by nip", (OCT,)) == oct_rows
    assert query(db, "select period from meta.published_period where stale_since is not null") == [(OCT,)]
    run(landing, OCT)  # re-running it clears the flag and takes the new year to date
    assert query(db, "select count(*) from meta.published_period where stale_since is not null") == [(0,)]
    assert card(db, a, OCT)["unexcused_days_ytd"] == 1


# R1: without a holidays extract the `holidays` package decides; Ramadan hours from the rules file.


def test_default_calendar_is_the_holidays_package(db, landing):
    nip = pns_nip(90)
    august = [d for d in workdays("2026-08")]  # 21 weekdays, two of them national holidays
    write_employees(landing, "2026-08", staff(nip))
    write_attendance(landing, "2026-08", day_punches(nip, august))  # punches on holidays do not count
    run(landing, "2026-08")
    c = card(db, nip, "2026-08")  # less 17 August (Independence Day) and 25 August (Maulid Nabi)
    assert (c["workdays_expected"], c["days_present"], c["days_absent_unexcused"]) == (19, 19, 0)
    holidays = query(db, "select day::text, holiday from intermediate.calendar_day where holiday is not null")
    assert [d for d, _ in holidays] == ["2026-08-17", "2026-08-25"]


def test_ramadan_hours_replace_the_regular_ones(db, landing):
    nip = pns_nip(91)
    march = [d for d in workdays("2026-03") if d.day >= 25]  # after Ramadan and the Eid holidays
    punches = day_punches(nip, march) + [
        f"{nip},2026-03-02 08:10:00,IN", f"{nip},2026-03-02 15:05:00,OUT",  # Ramadan 08:00-15:00: TL1 10 min
        f"{nip},2026-03-06 07:55:00,IN", f"{nip},2026-03-06 15:20:00,OUT",  # Friday until 15:30: PSW1
    ]
    write_employees(landing, "2026-03", staff(nip))
    write_attendance(landing, "2026-03", punches)
    run(landing, "2026-03")
    days = query(db, "select day::text, late_minutes, tl, early_minutes, psw from intermediate.attendance_day"
                     " where day in ('2026-03-02', '2026-03-06', '2026-03-25') order by day")
    assert days == [("2026-03-02", 10, 1, 0, None), ("2026-03-06", 0, None, 10, 1), ("2026-03-25", 0, None, 0, None)]


# §5: partial or refused inputs withhold what depends on them; they never read as absence or success.


def test_a_refused_attendance_file_of_a_unit_with_other_files_withholds_its_employees_only(db, landing):
    kept, lost = pns_nip(100), pns_nip(101)
    month(landing, SEP, [staff(kept), staff(lost), *(staff(pns_nip(110 + i)) for i in range(3))],
          day_punches(kept, SEP_DAYS) + [r for i in range(3) for r in day_punches(pns_nip(110 + i), SEP_DAYS)])
    bad = [f"{lost},{d} 07:15:00,IN" for d in SEP_DAYS] + [f"{lost},kemarin,IN"] * 5  # 5 of 27 rejected
    write(landing, SEP, "attendance", "mesin2.csv", "\n".join(["nip,punched_at,direction", *bad]) + "\n")
    run(landing)
    assert query(db, "select outcome, rule from meta.source_file where file_name = 'attendance/mesin2.csv'") == [
        ("REJECTED", "FILE_TOO_MANY_REJECTED")]
    assert coverage(db, "attendance") == {"BKPP": "PRESENT"}
    c = card(db, lost)  # their punches were refused: not one of their days reads as TK
    assert (c["days_absent_unexcused"], c["rating_perilaku"]) == (None, None)
    assert query(db, "select attendance_coverage from intermediate.scorecard where nip = %s", (lost,)) == [("REFUSED",)]
    assert "data presensi pegawai ini ditolak" in c["status_reason"]
    assert "attendance/mesin2.csv [FILE_TOO_MANY_REJECTED]" in c["status_reason"]
    assert ("presensi tidak dihitung: rating perilaku tidak diberikan: data presensi pegawai ini ditolak"
            " (sebagian barisnya ada di berkas yang ditolak: attendance/mesin2.csv") in explain_text(db, lost, Period.parse(SEP))
    for nip in (kept, *(pns_nip(110 + i) for i in range(3))):  # the rest of the unit is rated
        c = card(db, nip)
        assert (c["days_absent_unexcused"], c["rating_perilaku"]) == (0, "Di Atas Ekspektasi")


LEAVE_HEADER = "nip,date_from,date_to,leave_type"


def coverage(db, source) -> dict[str, str]:
    return dict(query(db, "select unit_code, status from meta.source_coverage where source = %s", (source,)))


def test_an_empty_leave_file_beside_two_good_ones_affects_nobody(db, landing):
    bkpp, dinkes = pns_nip(120), pns_nip(121)
    on_duty = days_except(SEP_DAYS, *(d.isoformat() for d in SEP_DAYS if d.day >= 21))
    month(landing, SEP, [staff(bkpp), staff(dinkes, unit="DINKES")],
          day_punches(bkpp, on_duty) + day_punches(dinkes, on_duty))
    write(landing, SEP, "leave", "cuti_bkpp.csv", f"{LEAVE_HEADER}\n{bkpp},2026-09-21,2026-09-30,CT\n")
    write(landing, SEP, "leave", "cuti_dinkes.csv", f"{LEAVE_HEADER}\n{dinkes},2026-09-21,2026-09-30,CS\n")
    write(landing, SEP, "leave", "cuti_susulan.csv", f"{LEAVE_HEADER}\n")
    result = run(landing)
    assert query(db, "select rule from meta.source_file where file_name = 'leave/cuti_susulan.csv'") == [("FILE_EMPTY",)]
    assert query(db, "select count(*) from meta.source_coverage where status <> 'PRESENT'") == [(0,)]
    for nip in (bkpp, dinkes):
        c = card(db, nip)
        assert (c["days_excused"], c["days_absent_unexcused"], c["rating_perilaku"]) == (8, 0, "Di Atas Ekspektasi")
    text = summary_text(result.staged, db)
    assert "leave/cuti_susulan.csv: [FILE_EMPTY]" in text and "Coverage gaps" not in text
    assert "no unit's coverage depends on it" in text


def test_a_leave_file_refused_before_its_rows_are_read_withholds_the_employees_it_names(db, landing):
    rested, named = pns_nip(125), pns_nip(126)
    on_duty = [d for d in SEP_DAYS if d.day < 21]
    month(landing, SEP, [staff(rested), staff(named)], day_punches(rested, on_duty) + day_punches(named, on_duty))
    write(landing, SEP, "leave", "cuti.csv", f"{LEAVE_HEADER}\n{rested},2026-09-21,2026-09-30,CT\n")
    write(landing, SEP, "leave", "cuti_susulan.csv", f"nip,date_from,leave_type\n{named},2026-09-21,CT\n")  # no date_to
    result = run(landing)
    assert coverage(db, "leave") == {"BKPP": "PRESENT"}
    assert card(db, rested)["rating_perilaku"] == "Di Atas Ekspektasi"
    c = card(db, named)  # the refused file named them: their last 8 days are not read as TK
    assert (c["days_absent_unexcused"], c["rating_perilaku"], c["discipline_flag"]) == (None, None, None)
    assert "data cuti/izin pegawai ini ditolak" in c["status_reason"] and "leave/cuti_susulan.csv [FILE_MISSING_COLUMN]" in c["status_reason"]
    text = summary_text(result.staged, db)
    assert "held rows of BKPP (1 employee(s)); a unit with no other rows of the source is REFUSED" in text
    assert "BKPP             leave              sebagian data cuti/izin unit BKPP ada di berkas yang ditolak" in text


def officer_with_a_baseline(landing, officer):
    """A Dishub officer with August's violations published and September's assignment to area A1."""
    people = [staff(officer, unit="DISHUB", role="FIELD_OFFICER")]
    write_employees(landing, "2026-08", *people)
    write_holidays(landing, "2026-08")
    write(landing, "2026-08", "traffic_violations", "dishub.csv",
          "\n".join([VIOLATION_HEADER, *_violations("2026-08", "A1", 62)]) + "\n")
    run(landing, "2026-08")
    month(landing, SEP, people, day_punches(officer, SEP_DAYS))
    write(landing, SEP, "area_assignments", "tugas.csv", f"{ASSIGN_HEADER}\n{officer},A1,2026-09-01,2026-09-30\n")


def test_a_refused_patrol_file_beside_a_good_violations_file_keeps_the_rating(db, landing):
    officer = pns_nip(122)
    officer_with_a_baseline(landing, officer)
    write(landing, SEP, "traffic_violations", "dishub.csv",
          "\n".join([VIOLATION_HEADER, *_violations(SEP, "A1", 40)]) + "\n")
    write(landing, SEP, "traffic_violations", "patroli.csv",  # August's patrols, in September's folder
          "\n".join([VIOLATION_HEADER, *_violations("2026-08", "A1", 20, "PATROL", officer)]) + "\n")
    result = run(landing, SEP)
    assert query(db, "select rule from meta.source_file where file_name = 'traffic_violations/patroli.csv'"
                     " and run_id = (select max(run_id) from meta.run)") == [("FILE_WRONG_PERIOD",)]
    assert coverage(db, "traffic_violations") == {"DISHUB": "PRESENT"}
    c = card(db, officer)
    assert c["rating_hasil_kerja"] == "Di Atas Ekspektasi"
    assert "patroli.csv (FILE_WRONG_PERIOD)" in summary_text(result.staged, db)


def test_a_unit_whose_only_attendance_file_is_refused_is_refused_and_the_other_unit_is_rated(db, landing):
    bkpp, dinkes = pns_nip(123), pns_nip(124)
    write_employees(landing, SEP, staff(bkpp), staff(dinkes, unit="DINKES"))
    write_holidays(landing, SEP)
    write_attendance(landing, SEP, day_punches(bkpp, SEP_DAYS), name="presensi_bkpp.csv")
    bad = day_punches(dinkes, SEP_DAYS[:10]) + [f"{dinkes},kemarin,IN"] * 5  # 5 of 25 rejected
    write_attendance(landing, SEP, bad, name="presensi_dinkes.csv")
    # refused before its rows are typed, and naming no NIP: no unit's coverage depends on it
    write(landing, SEP, "attendance", "mesin_lama.csv", "no_absen,jam\n17,2026-09-01 07:10\n")
    result = run(landing)
    assert coverage(db, "attendance") == {"BKPP": "PRESENT", "DINKES": "REFUSED"}
    c = card(db, dinkes)
    assert (c["days_absent_unexcused"], c["rating_perilaku"], c["status"]) == (None, None, "INSUFFICIENT_DATA")
    assert "data presensi unit DINKES ditolak (berkas unit ini ditolak; perbaiki dan kirim ulang)" in c["status_reason"]
    assert (card(db, bkpp)["days_absent_unexcused"], card(db, bkpp)["rating_perilaku"]) == (0, "Di Atas Ekspektasi")
    text = summary_text(result.staged, db)
    assert "DINKES           attendance         REFUSED" in text and "presensi_dinkes.csv" in text
    (reason,) = query(db, "select reason from meta.source_coverage where unit_code = 'BKPP' and source = 'attendance'")[0]
    assert "attendance/mesin_lama.csv (FILE_MISSING_COLUMN)" in reason
    assert "berkas ditolak yang tidak menyebut unit atau pegawai" in reason


def test_a_refused_leave_file_withholds_attendance_figures(db, landing):
    nip = pns_nip(102)
    month(landing, SEP, [staff(nip)], day_punches(nip, SEP_DAYS[:8]))  # on leave from 11 September
    write(landing, SEP, "leave", "cuti.csv", f"nip,date_from,leave_type\n{nip},2026-09-11,CT\n")  # no date_to
    run(landing)
    c = card(db, nip)
    assert (c["days_absent_unexcused"], c["tpp_deduction_pct"], c["discipline_flag"]) == (None, None, None)
    assert c["rating_perilaku"] is None and "data cuti/izin" in c["status_reason"] and "ditolak" in c["status_reason"]
    assert query(db, "select count(*) from mart.recommendation") == [(0,)]


def test_patrol_records_alone_are_not_a_month_of_violations(db, landing):
    officer = pns_nip(103)
    officer_with_a_baseline(landing, officer)
    write(landing, SEP, "traffic_violations", "dishub.csv",
          "\n".join([VIOLATION_HEADER, *_violations(SEP, "A1", 40, "PATROL", officer)]) + "\n")
    run(landing, SEP)
    c = card(db, officer)  # no camera or report data this month: no rating, not a -100 % success
    assert c["rating_hasil_kerja"] is None and "data pelanggaran lalu lintas unit" in c["status_reason"]
    assert "tidak ada pada periode ini" in c["status_reason"]


def test_a_split_shift_day_is_one_working_day(db, landing):
    nurse, clerk = pns_nip(104), pns_nip(105)
    days = [f"2026-09-{d:02d}" for d in range(1, 13)]
    rosters = "".join(f"{nurse},{d},07:00,11:00\n{nurse},{d},14:00,18:00\n" for d in days)
    write(landing, SEP, "rosters", "rsud.csv", "nip,shift_date,shift_start,shift_end\n" + rosters)
    punches = day_punches(clerk, SEP_DAYS) + day_punches(nurse, days, "06:55:00", "11:00:00")  # mornings only
    month(landing, SEP, [staff(nurse, unit="RSUD", schedule="SHIFT"), staff(clerk, unit="RSUD")], punches)
    run(landing)
    c = card(db, nurse)
    assert (c["workdays_expected"], c["days_present"], c["days_absent_unexcused"]) == (12, 12, 0)
    # each afternoon shift lacks its check-in and check-out: TL4 + PSW4
    assert (c["late_count"], c["early_leave_count"], c["tpp_deduction_pct"]) == (12, 12, Decimal("60.00"))


def test_two_areas_on_one_day_compare_like_with_like(db, landing):
    officer = pns_nip(106)
    people = [staff(officer, unit="DISHUB", role="FIELD_OFFICER")]
    write_employees(landing, "2026-08", *people)
    write_holidays(landing, "2026-08")
    rows = _violations("2026-08", "A1", 31) + _violations("2026-08", "B2", 31)  # 1.0 a day each
    write(landing, "2026-08", "traffic_violations", "dishub.csv", "\n".join([VIOLATION_HEADER, *rows]) + "\n")
    run(landing, "2026-08")
    month(landing, SEP, people, day_punches(officer, SEP_DAYS))
    write(landing, SEP, "area_assignments", "tugas.csv",
          f"{ASSIGN_HEADER}\n{officer},A1,2026-09-01,2026-09-10\n{officer},B2,2026-09-01,2026-09-10\n")
    current = [f"V{a}{i},{a},2026-09-{1 + i:02d} 10:00,PARKIR,CAMERA,," for a in ("A1", "B2") for i in range(10)]
    write(landing, SEP, "traffic_violations", "dishub.csv", "\n".join([VIOLATION_HEADER, *current]) + "\n")
    run(landing, SEP)
    assert card(db, officer)["area_violation_change_pct"] == Decimal("0.00")  # 2 a day against 2 a day


def test_a_changed_holiday_calendar_flags_the_next_month_stale(db, landing):
    _two_months(landing)
    run(landing, SEP)
    run(landing, OCT)
    write_holidays(landing, SEP, "2026-09-30")  # October's SLA days count September's working days
    assert run(landing, SEP).published.stale == [OCT]
