"""A hand-computed scenario of two consecutive months, 2026-09 and 2026-10, published exactly as the
domain rules (R1-R12) say.

Twelve employees in five units. Every expected number below is computed by hand, in the comments
beside it, from the landing files this module writes; nothing is computed with the pipeline's logic.

Calendar (a `holidays` extract is supplied for each month, so the calendar is exactly this, R1):

    September 2026              October 2026
    Mo Tu We Th Fr Sa Su        Mo Tu We Th Fr Sa Su
        1  2  3  4  5  6                  1  2  3  4
     7  8  9 10 11 12 13         5  6  7  8  9 10 11
    14 15 16 17 18 19 20        12 13 14 15 16 17 18
    21 22 23 24 25 26 27        19 20 21 22 23 24 25
    28 29 30                    26 27 28 29 30 31

    2026-09: holiday Fri 18 -> 22 weekdays - 1 = 21 working days (SEP_WORKDAYS below).
    2026-10: holiday Wed 28 -> 22 weekdays - 1 = 21 working days (OCT_WORKDAYS below).
    REGULAR: Mon-Thu 07:30-16:00, Fri 07:30-16:30.

Employees (unit, role, what they exercise):

    ANI     BKPP       OFFICE   PNS   perfect attendance
    BUDI    BKPP       OFFICE   PNS   07:30:59 / 07:31:00, TL2, TL3 (90 min), TL4 (only a check-out),
                                      PSW1 on a Friday, PSW4 (single punch), 15:59:01 vs 15:59:00,
                                      leave over a holiday and a weekend, identical punches,
                                      punches on a Saturday and on the holiday
    CITRA   BKPP       OFFICE   PNS   2 TK in 09 + 1 TK in 10 -> ytd 3 -> TEGURAN_LISAN in 10;
                                      tpp exactly 10 -> Di Bawah in 09
    DEWI    BKPP       OFFICE   PPPK  3 TK -> Di Bawah but no discipline flag; sick leave across
                                      the month boundary
    EKO     BKPP       OFFICE   PNS   new hire from Wed 2026-09-16: exactly 10 working days
    FAJAR   RSUD       OFFICE   PNS   SHIFT: night shifts across midnight, a shift on the holiday,
                                      a check-out punch with the wrong direction, a rostered day
                                      without punches, a night shift on 09-30 whose check-out is
                                      on 10-01 (in the 2026-09 file)
    GITA    DUKCAPIL   SERVICE  PNS   40 tickets (SLA over weekend and holiday), 12 SKM responses
                                      with unanswered elements -> Sangat Baik; 25 tickets in 10
    HADI    DUKCAPIL   SERVICE  PNS   SLA 0.75 + low IKM / u6 / u7 -> Butuh Perbaikan twice
                                      -> SUPPORT in 10; October SLA exactly 0.800, surveys in 10 on
                                      September tickets
    IRFAN   DISHUB     FIELD    PNS   area TUGU: -11.29 % -> Di Atas; perilaku Sesuai -> Baik
    JOKO    DISHUB     FIELD    PNS   two areas in 10 (weighted baseline): +16.88 % and 4 TK
                                      -> Sangat Kurang, TEGURAN_TERTULIS
    KARTIKA UPTPARKIR  OFFICE   PNS   unit without any attendance rows -> INSUFFICIENT_DATA
    LUKMAN  UPTPARKIR  FIELD    PNS   no attendance; area PEMUDA -3.23 % in 10 -> PARTIAL
"""

from __future__ import annotations

from datetime import date

import pytest

from pipelines import cli
from pipelines.ingest import stage_period
from pipelines.period import Period
from tests.helpers import query, write

SEP, OCT = "2026-09", "2026-10"

# NIPs (R5). PNS: birth YYYYMMDD + appointment YYYYMM + sex + seq; PPPK: birth + year + code + sex + seq.
ANI = "198601152010032001"  # born 1986-01-15, appointed 2010-03, female, 001
BUDI = "197907042003121002"  # born 1979-07-04, appointed 2003-12, male, 002
CITRA = "199011302015022003"  # born 1990-11-30, appointed 2015-02, female, 003
DEWI = "199202292022212004"  # PPPK: born 1992-02-29, 2022, code 21, female, 004
EKO = "199805202026091005"  # born 1998-05-20, appointed 2026-09, male, 005
FAJAR = "198808082012041006"  # born 1988-08-08, appointed 2012-04, male, 006
GITA = "199303032019012007"  # born 1993-03-03, appointed 2019-01, female, 007
HADI = "197512122000031008"  # born 1975-12-12, appointed 2000-03, male, 008
IRFAN = "198406172009101009"  # born 1984-06-17, appointed 2009-10, male, 009
JOKO = "198109092006061010"  # born 1981-09-09, appointed 2006-06, male, 010
KARTIKA = "198704212011112011"  # born 1987-04-21, appointed 2011-11, female, 011
LUKMAN = "198310022008051012"  # born 1983-10-02, appointed 2008-05, male, 012

NAMES = {ANI: "ANI", BUDI: "BUDI", CITRA: "CITRA", DEWI: "DEWI", EKO: "EKO", FAJAR: "FAJAR",
         GITA: "GITA", HADI: "HADI", IRFAN: "IRFAN", JOKO: "JOKO", KARTIKA: "KARTIKA", LUKMAN: "LUKMAN"}

EMPLOYEES = "\n".join([
    "nip,name,unit_code,employment_type,job_type,role,schedule,active_from,active_to",
    f"{ANI},Ani Lestari,BKPP,PNS,PELAKSANA,OFFICE,REGULAR,2010-03-01,",
    f"{BUDI},Budi Santoso,BKPP,PNS,PENGAWAS,OFFICE,REGULAR,2003-12-01,",
    f"{CITRA},Citra Dewi,BKPP,PNS,PELAKSANA,OFFICE,REGULAR,2015-02-01,",
    f"{DEWI},Dewi Anggraini,BKPP,PPPK,FUNGSIONAL,OFFICE,REGULAR,2022-03-01,",
    f"{EKO},Eko Prasetyo,BKPP,PNS,PELAKSANA,OFFICE,REGULAR,2026-09-16,",
    f"{FAJAR},Fajar Nugroho,RSUD,PNS,FUNGSIONAL,OFFICE,SHIFT,2012-04-01,",
    f"{GITA},Gita Permata,DUKCAPIL,PNS,PELAKSANA,SERVICE_COUNTER,REGULAR,2019-01-01,",
    f"{HADI},Hadi Wibowo,DUKCAPIL,PNS,PELAKSANA,SERVICE_COUNTER,REGULAR,2000-03-01,",
    f"{IRFAN},Irfan Hakim,DISHUB,PNS,PELAKSANA,FIELD_OFFICER,REGULAR,2009-10-01,",
    f"{JOKO},Joko Susilo,DISHUB,PNS,PELAKSANA,FIELD_OFFICER,REGULAR,2006-06-01,",
    f"{KARTIKA},Kartika Sari,UPTPARKIR,PNS,PELAKSANA,OFFICE,REGULAR,2011-11-01,",
    f"{LUKMAN},Lukman Hakim,UPTPARKIR,PNS,PELAKSANA,FIELD_OFFICER,REGULAR,2008-05-01,",
]) + "\n"


def _days(year: int, month: int, *days: int) -> list[date]:
    return [date(year, month, d) for d in days]


# R1, by hand from the calendars above (Mon-Fri, less the supplied holiday).
SEP_WORKDAYS = _days(2026, 9, 1, 2, 3, 4, 7, 8, 9, 10, 11, 14, 15, 16, 17, 21, 22, 23, 24, 25, 28, 29, 30)
OCT_WORKDAYS = _days(2026, 10, 1, 2, 5, 6, 7, 8, 9, 12, 13, 14, 15, 16, 19, 20, 21, 22, 23, 26, 27, 29, 30)
W, V = SEP_WORKDAYS, OCT_WORKDAYS  # short names for the ticket arithmetic: W[i] / V[i]
# index:  W  0:01 1:02 2:03 3:04 4:07 5:08 6:09 7:10 8:11 9:14 10:15 11:16 12:17 13:21 14:22 15:23
#            16:24 17:25 18:28 19:29 20:30
#         V  0:01 1:02 2:05 3:06 4:07 5:08 6:09 7:12 8:13 9:14 10:15 11:16 12:19 13:20 14:21 15:22
#            16:23 17:26 18:27 19:29 20:30


# ---------------------------------------------------------------------------------------------
# Attendance (R2). A normal office day: IN 07:15, OUT 16:05 (Mon-Thu) or 16:35 (Fri): on time.
# ---------------------------------------------------------------------------------------------

def _office_month(nip: str, workdays: list[date], special: dict[date, list[tuple[str, str]]] | None = None) -> list[str]:
    """A punch row (nip,punched_at,direction) per punch; `special` replaces a day's punches ([] = none)."""
    special = special or {}
    rows = []
    for day in workdays:
        punches = special.get(day)
        if punches is None:
            punches = [("07:15", "IN"), ("16:35" if day.weekday() == 4 else "16:05", "OUT")]
        rows += [f"{nip},{day} {time},{direction}" for time, direction in punches]
    extra = [day for day in special if day not in workdays]  # non-working days (ignored, R2)
    for day in sorted(extra):
        rows += [f"{nip},{day} {time},{direction}" for time, direction in special[day]]
    return rows


BUDI_SEP = {
    date(2026, 9, 1): [("07:30:59", "IN"), ("16:05", "OUT")],  # late floor(59 s / 60) = 0: on time
    date(2026, 9, 2): [("07:31:00", "IN"), ("16:05", "OUT")],  # 1 min -> TL1 (0.5)
    date(2026, 9, 3): [("08:15:00", "IN"), ("16:02", "OUT")],  # 45 min -> TL2 (1.0)
    date(2026, 9, 4): [("07:20", "IN"), ("16:10", "OUT")],  # Friday, end 16:30: 20 min early -> PSW1 (0.5)
    date(2026, 9, 7): [("16:05", "OUT")],  # only a check-out: present, no check-in -> TL4 (2.5), 0 minutes
    date(2026, 9, 8): [("07:25", "IN"), ("07:25", "IN"), ("16:05", "OUT")],  # identical punch twice: one punch
    date(2026, 9, 9): [("07:20", "")],  # one punch without direction before 12:00 = check-in; no check-out -> PSW4 (2.5)
    date(2026, 9, 12): [("09:00", "IN"), ("12:00", "OUT")],  # Saturday: kept, not counted
    date(2026, 9, 17): [],  # leave CT 17-21 (row in the leave file)
    date(2026, 9, 18): [("08:00", "IN"), ("11:00", "OUT")],  # holiday (and leave): kept, not counted
    date(2026, 9, 21): [],  # leave
}
BUDI_OCT = {
    date(2026, 10, 5): [("07:15", "IN"), ("15:59:01", "OUT")],  # early floor(59 s / 60) = 0: not early
    date(2026, 10, 6): [("07:15", "IN"), ("15:59:00", "OUT")],  # 1 min early -> PSW1 (0.5)
    date(2026, 10, 7): [("09:00:30", "IN"), ("16:05", "OUT")],  # floor(90.5) = 90 min -> TL3 (1.25)
}
CITRA_SEP = {date(2026, 9, 29): [], date(2026, 9, 30): []}  # 2 TK (the month's trailing run)
CITRA_OCT = {date(2026, 10, 1): []}  # 1 TK (the run goes on to 3, far from 10)
DEWI_SEP = {date(2026, 9, 8): [], date(2026, 9, 9): [], date(2026, 9, 10): [],  # 3 TK
            date(2026, 9, 29): [], date(2026, 9, 30): []}  # sick leave CS 09-29..10-02
DEWI_OCT = {date(2026, 10, 1): [], date(2026, 10, 2): []}  # sick leave continues
EKO_SEP = {date(2026, 9, 16): [("07:45", "IN"), ("16:05", "OUT")]}  # first day: 15 min -> TL1
HADI_SEP = {date(2026, 9, 14): [("07:40", "IN"), ("16:05", "OUT")],  # 10 min TL1
            date(2026, 9, 15): [("07:35", "IN"), ("16:05", "OUT")]}  # 5 min TL1
HADI_OCT = {date(2026, 10, 5): [("07:45", "IN"), ("16:05", "OUT")],  # 15 min TL1
            date(2026, 10, 8): [("07:15", "IN"), ("15:50", "OUT")]}  # Thursday, end 16:00: 10 min PSW1
IRFAN_OCT = {date(2026, 10, 12): [("07:40", "IN"), ("16:05", "OUT")],  # 10 min TL1
             date(2026, 10, 13): [("07:50", "IN"), ("16:05", "OUT")]}  # 20 min TL1
JOKO_OCT = {date(2026, 10, d): [] for d in (19, 20, 21, 22)}  # 4 TK

# SHIFT (R2): morning 07:00-14:00, afternoon 14:00-21:00, night 21:00-07:00 (next day).
# Shifts are at least a day apart, so no two shifts' windows overlap. Direction is left empty
# except where noted (it is ignored for SHIFT employees).
FAJAR_SEP_ROSTER = [  # (shift_date, start, end, punches)  15 rostered days
    ("2026-09-01", "07:00", "14:00", ["2026-09-01 06:50", "2026-09-01 14:05"]),
    ("2026-09-03", "14:00", "21:00", ["2026-09-03 13:50", "2026-09-03 21:05"]),
    ("2026-09-05", "21:00", "07:00", ["2026-09-05 20:50", "2026-09-06 07:05"]),  # Saturday night shift
    ("2026-09-08", "07:00", "14:00", ["2026-09-08 07:20", "2026-09-08 14:05"]),  # 20 min late -> TL1
    ("2026-09-10", "14:00", "21:00", ["2026-09-10 13:55", "2026-09-10 21:02"]),
    ("2026-09-12", "07:00", "14:00", ["2026-09-12 06:45", "2026-09-12 14:10"]),
    ("2026-09-14", "21:00", "07:00", ["2026-09-14 20:55", "2026-09-15 07:03"]),  # check-out marked IN below
    ("2026-09-16", "07:00", "14:00", []),  # rostered, no punch -> TK
    ("2026-09-18", "07:00", "14:00", ["2026-09-18 06:55", "2026-09-18 14:00"]),  # the holiday: still a working day
    ("2026-09-20", "14:00", "21:00", ["2026-09-20 13:45", "2026-09-20 21:10"]),
    ("2026-09-22", "21:00", "07:00", ["2026-09-22 20:45", "2026-09-23 07:10"]),
    ("2026-09-24", "07:00", "14:00", ["2026-09-24 06:58", "2026-09-24 14:01"]),
    ("2026-09-26", "14:00", "21:00", ["2026-09-26 13:58", "2026-09-26 21:00"]),
    ("2026-09-28", "07:00", "14:00", ["2026-09-28 06:59", "2026-09-28 14:03"]),
    ("2026-09-30", "23:00", "07:00", ["2026-09-30 22:50", "2026-10-01 07:05"]),  # check-out on 10-01, in the 09 file
]
FAJAR_OCT_ROSTER = [  # 11 rostered days, all on time (none on 10-01: its 07:05 punch belongs to 09)
    ("2026-10-02", "07:00", "14:00", ["2026-10-02 06:50", "2026-10-02 14:05"]),
    ("2026-10-04", "14:00", "21:00", ["2026-10-04 13:50", "2026-10-04 21:05"]),
    ("2026-10-06", "21:00", "07:00", ["2026-10-06 20:50", "2026-10-07 07:05"]),
    ("2026-10-08", "07:00", "14:00", ["2026-10-08 06:55", "2026-10-08 14:02"]),
    ("2026-10-10", "14:00", "21:00", ["2026-10-10 13:52", "2026-10-10 21:03"]),
    ("2026-10-12", "21:00", "07:00", ["2026-10-12 20:48", "2026-10-13 07:04"]),
    ("2026-10-14", "07:00", "14:00", ["2026-10-14 06:57", "2026-10-14 14:01"]),
    ("2026-10-16", "14:00", "21:00", ["2026-10-16 13:56", "2026-10-16 21:06"]),
    ("2026-10-18", "21:00", "07:00", ["2026-10-18 20:51", "2026-10-19 07:02"]),
    ("2026-10-20", "07:00", "14:00", ["2026-10-20 06:54", "2026-10-20 14:08"]),
    ("2026-10-22", "14:00", "21:00", ["2026-10-22 13:59", "2026-10-22 21:01"]),
]


def _roster_files(roster) -> tuple[str, list[str]]:
    rosters = "nip,shift_date,shift_start,shift_end\n" + "".join(
        f"{FAJAR},{d},{s},{e}\n" for d, s, e, _ in roster)
    punches = []
    for _, _, _, times in roster:
        for t in times:
            direction = "IN" if t == "2026-09-15 07:03" else ""  # wrong direction: ignored for SHIFT
            punches.append(f"{FAJAR},{t},{direction}")
    return rosters, punches


# ---------------------------------------------------------------------------------------------
# Service counter (R8, R9). Catalog: KTP 1 working day, KK 3, AKTA 0 (same day).
# ---------------------------------------------------------------------------------------------
CATALOG = "service_code,service_name,sla_working_days\nKTP,KTP-el,1\nKK,Kartu Keluarga,3\nAKTA,Akta Kelahiran,0\n"
TICKET_HEADER = "ticket_id,unit_code,service_code,officer_nip,received_at,completed_at,status"
SURVEY_HEADER = "response_id,ticket_id,submitted_at,u1,u2,u3,u4,u5,u6,u7,u8,u9"


def _ticket(tid, service, nip, received, completed, status="SELESAI") -> str:
    return f"{tid},DUKCAPIL,{service},{nip},{received},{completed or ''},{status}"


def _survey(rid, tid, submitted, answers) -> str:
    return f"{rid},{tid},{submitted}," + ",".join("" if a is None else str(a) for a in answers)


def _sep_tickets() -> list[str]:
    rows = []
    # GITA, 40 SELESAI:
    # KTP W[i] -> W[i+1]: exactly 1 working day each, also Fri 04 -> Mon 07 (weekend) and
    # Thu 17 -> Mon 21 (holiday 18 + weekend) -> 20 met
    for i in range(20):
        rows.append(_ticket(f"G09-KTP{i:02d}", "KTP", GITA, f"{W[i]} 09:00", f"{W[i + 1]} 10:00"))
    for i in range(10):  # AKTA same day -> 0 <= 0 -> 10 met
        rows.append(_ticket(f"G09-AKTA{i:02d}", "AKTA", GITA, f"{W[i]} 08:00", f"{W[i]} 11:00"))
    for i in range(5):  # KK W[i] -> W[i+3]: 3 <= 3 -> 5 met
        rows.append(_ticket(f"G09-KK{i:02d}", "KK", GITA, f"{W[i]} 10:00", f"{W[i + 3]} 15:00"))
    # received on a Saturday, done on the Monday: working days in (Sat, Mon] = {Mon} = 1 -> 4 met
    for n, (sat, mon) in enumerate([(5, 7), (12, 14), (19, 21), (26, 28)]):
        rows.append(_ticket(f"G09-SAT{n}", "KTP", GITA, f"2026-09-{sat:02d} 10:00", f"2026-09-{mon:02d} 09:00"))
    # Fri 11 -> Wed 16: working days 14, 15, 16 = 3 > 1 -> not met
    rows.append(_ticket("G09-LATE", "KTP", GITA, "2026-09-11 09:00", "2026-09-16 10:00"))
    # not SELESAI: never counted
    rows.append(_ticket("G09-PROSES", "KTP", GITA, "2026-09-29 09:00", None, "PROSES"))
    rows.append(_ticket("G09-TOLAK", "KK", GITA, "2026-09-10 09:00", "2026-09-10 10:00", "DITOLAK"))
    rows.append(_ticket("G09-BATAL", "KTP", "", "2026-09-15 09:00", None, "BATAL"))
    # HADI, 32 SELESAI:
    for i in range(20):  # KTP next working day -> 20 met
        rows.append(_ticket(f"H09-KTP{i:02d}", "KTP", HADI, f"{W[i]} 09:00", f"{W[i + 1]} 10:00"))
    for i in range(4):  # AKTA same day -> 4 met
        rows.append(_ticket(f"H09-AKTA{i:02d}", "AKTA", HADI, f"{W[i]} 08:00", f"{W[i]} 11:00"))
    for i in range(8):  # KTP W[i] -> W[i+2]: 2 > 1 -> 8 not met
        rows.append(_ticket(f"H09-SLOW{i:02d}", "KTP", HADI, f"{W[i]} 09:00", f"{W[i + 2]} 14:00"))
    return rows


def _oct_tickets() -> list[str]:
    rows = []
    # GITA, 25 SELESAI (under 30: no rating, the rate is still published):
    for i in range(20):  # KTP V[i] -> V[i+1] (incl. Tue 27 -> Thu 29 over the holiday) -> 20 met
        rows.append(_ticket(f"G10-KTP{i:02d}", "KTP", GITA, f"{V[i]} 09:00", f"{V[i + 1]} 10:00"))
    for i in range(5):  # KK V[i] -> V[i+4]: 4 > 3 -> 5 not met
        rows.append(_ticket(f"G10-KK{i:02d}", "KK", GITA, f"{V[i]} 10:00", f"{V[i + 4]} 15:00"))
    # HADI, 30 SELESAI:
    for i in range(19):  # KTP next working day -> 19 met
        rows.append(_ticket(f"H10-KTP{i:02d}", "KTP", HADI, f"{V[i]} 09:00", f"{V[i + 1]} 10:00"))
    # received Wed 09-30, completed Thu 10-01: working days in (09-30, 10-01] = {10-01} -> 1 met (counts in 10)
    rows.append(_ticket("H10-CROSS", "KTP", HADI, "2026-09-30 09:00", "2026-10-01 10:00"))
    for i in range(4):  # AKTA same day -> 4 met
        rows.append(_ticket(f"H10-AKTA{i:02d}", "AKTA", HADI, f"{V[i]} 08:00", f"{V[i]} 11:00"))
    for i in range(6):  # KTP V[i] -> V[i+2]: 2 > 1 -> 6 not met
        rows.append(_ticket(f"H10-SLOW{i:02d}", "KTP", HADI, f"{V[i]} 09:00", f"{V[i + 2]} 14:00"))
    return rows


def _sep_surveys() -> list[str]:
    rows = []
    for r in range(12):  # GITA, 12 responses on G09-KTP00..11
        u5 = 3 if r < 6 else 4
        u9 = None if r < 2 else (3 if r < 7 else 4)  # r 0-1 unanswered; 5 x 3 and 5 x 4
        answers = [4, 4, 4, 4, u5, 4, 4, 4, u9]
        rows.append(_survey(f"S09-G{r:02d}", f"G09-KTP{r:02d}", f"{W[r + 1]} 14:00", answers))
    for r in range(10):  # HADI, exactly 10 responses on H09-KTP00..09
        u6 = 2 if r < 6 else 3
        u7 = 3 if r < 5 else 2
        answers = [3, 3, 3, 3, 3, u6, u7, 3, 3]
        rows.append(_survey(f"S09-H{r:02d}", f"H09-KTP{r:02d}", f"{W[r + 1]} 14:00", answers))
    return rows


def _oct_surveys() -> list[str]:
    rows = []
    answers = [3, 3, 3, 3, 3, 4, 3, 2, 3]
    # HADI: 4 responses in 10 on his September tickets (they count in the month of submitted_at) ...
    for r, when in enumerate(["2026-10-01 09:00", "2026-10-01 10:00", "2026-10-02 09:00", "2026-10-02 10:00"]):
        rows.append(_survey(f"S10-HOLD{r}", f"H09-KTP{10 + r:02d}", when, answers))
    # ... and 6 on October tickets: 10 in all
    for r in range(6):
        rows.append(_survey(f"S10-H{r:02d}", f"H10-KTP{r:02d}", f"{V[r + 1]} 14:00", answers))
    return rows


# ---------------------------------------------------------------------------------------------
# Dishub (R10). Counted = CAMERA + REPORT; PATROL never counts.
# ---------------------------------------------------------------------------------------------
VIOLATION_HEADER = "violation_id,area_code,occurred_at,violation_type,detected_by,action,officer_nip"


def _violations(period: str, plan: dict[str, dict[int, int]], patrols: dict[str, tuple[range, str]]) -> str:
    """plan[area][day] = counted violations that day (CAMERA at 08:00, 10:00, 12:00, ..., the last
    one of a day with 2 or more a REPORT at 17:00); patrols[area] = (days, officer)."""
    rows = [VIOLATION_HEADER]
    for area, per_day in plan.items():
        for day, n in per_day.items():
            for k in range(n):
                at, by, action = ("17:00", "REPORT", "TEGURAN") if n >= 2 and k == n - 1 else (f"{8 + 2 * k:02d}:00", "CAMERA", "NONE")
                rows.append(f"V{period}-{area}-{day:02d}-{k},{area},{period}-{day:02d} {at},PARKIR_LIAR,{by},{action},")
    for area, (days, officer) in patrols.items():
        for day in days:
            rows.append(f"P{period}-{area}-{day:02d},{area},{period}-{day:02d} 10:30,PARKIR_LIAR,PATROL,GEMBOK,{officer}")
    return "\n".join(rows) + "\n"


SEP_VIOLATIONS = {
    "TUGU": {d: 2 for d in range(1, 31)},  # 30 x 2 = 60 -> baseline 60 / 30 days = 2.0 a day
    "SIMPANGLIMA": {d: 3 for d in range(1, 31)},  # 30 x 3 = 90 -> 3.0 a day
    "PEMUDA": {d: 2 if d % 2 else 1 for d in range(1, 31)},  # 15 x 2 + 15 x 1 = 45 -> 1.5 a day
}
OCT_VIOLATIONS = {
    # days 1-10: 2 each (20), 11-15: 1 each (5) -> 25 on 1-15; days 16-29: 2 each (28), 30-31: 1 each (2) -> 30 on 16-31
    "TUGU": {d: 2 if d <= 10 or 16 <= d <= 29 else 1 for d in range(1, 32)},  # 55
    # days 1-15: 4 each (60); 16-23: 3 each (24); 24-31: 2 each (16) -> 100
    "SIMPANGLIMA": {d: 4 if d <= 15 else (3 if d <= 23 else 2) for d in range(1, 32)},
    # days 1-14: 2 each (28); 15-31: 1 each (17) -> 45
    "PEMUDA": {d: 2 if d <= 14 else 1 for d in range(1, 32)},
}


def build_landing(landing) -> None:
    """Both months' extracts: every row valid, so nothing is rejected."""
    for period in (SEP, OCT):
        write(landing, period, "employees", "bkpp.csv", EMPLOYEES)
        write(landing, period, "service_catalog", "dukcapil.csv", CATALOG)
    write(landing, SEP, "holidays", "libur.csv", "holiday_date,description\n2026-09-18,Libur (contoh uji)\n")
    write(landing, OCT, "holidays", "libur.csv", "holiday_date,description\n2026-10-28,Libur (contoh uji)\n")

    # Leave: Budi CT Thu 17 - Mon 21 Sep (working days 17, 21); Dewi CS 09-29 - 10-02 in both months' files.
    write(landing, SEP, "leave", "cuti.csv", "nip,date_from,date_to,leave_type\n"
          f"{BUDI},2026-09-17,2026-09-21,CT\n{DEWI},2026-09-29,2026-10-02,CS\n")
    write(landing, OCT, "leave", "cuti.csv", f"nip,date_from,date_to,leave_type\n{DEWI},2026-09-29,2026-10-02,CS\n")

    header = "nip,punched_at,direction"
    eko_sep = [d for d in W if d >= date(2026, 9, 16)]
    bkpp_sep = (_office_month(ANI, W) + _office_month(BUDI, W, BUDI_SEP) + _office_month(CITRA, W, CITRA_SEP)
                + _office_month(DEWI, W, DEWI_SEP) + _office_month(EKO, eko_sep, EKO_SEP))
    bkpp_oct = (_office_month(ANI, V) + _office_month(BUDI, V, BUDI_OCT) + _office_month(CITRA, V, CITRA_OCT)
                + _office_month(DEWI, V, DEWI_OCT) + _office_month(EKO, V))
    rosters_sep, fajar_sep = _roster_files(FAJAR_SEP_ROSTER)
    rosters_oct, fajar_oct = _roster_files(FAJAR_OCT_ROSTER)
    # The October export starts at 10-01 00:00 and so holds the 07:05 check-out of the 09-30 night
    # shift again: October must ignore it (no October shift's window holds it).
    fajar_oct = [f"{FAJAR},2026-10-01 07:05,"] + fajar_oct
    write(landing, SEP, "rosters", "rsud.csv", rosters_sep)
    write(landing, OCT, "rosters", "rsud.csv", rosters_oct)
    files = {
        SEP: {"bkpp.csv": bkpp_sep, "rsud.csv": fajar_sep,
              "dukcapil.csv": _office_month(GITA, W) + _office_month(HADI, W, HADI_SEP),
              "dishub.csv": _office_month(IRFAN, W) + _office_month(JOKO, W)},
        OCT: {"bkpp.csv": bkpp_oct, "rsud.csv": fajar_oct,
              "dukcapil.csv": _office_month(GITA, V) + _office_month(HADI, V, HADI_OCT),
              "dishub.csv": _office_month(IRFAN, V, IRFAN_OCT) + _office_month(JOKO, V, JOKO_OCT)},
    }  # UPTPARKIR (KARTIKA, LUKMAN): no attendance rows at all, in either month
    for period, by_name in files.items():
        for name, rows in by_name.items():
            write(landing, period, "attendance", name, "\n".join([header, *rows]) + "\n")

    write(landing, SEP, "service_tickets", "dukcapil.csv", "\n".join([TICKET_HEADER, *_sep_tickets()]) + "\n")
    write(landing, OCT, "service_tickets", "dukcapil.csv", "\n".join([TICKET_HEADER, *_oct_tickets()]) + "\n")
    write(landing, SEP, "service_surveys", "skm.csv", "\n".join([SURVEY_HEADER, *_sep_surveys()]) + "\n")
    write(landing, OCT, "service_surveys", "skm.csv", "\n".join([SURVEY_HEADER, *_oct_surveys()]) + "\n")

    write(landing, SEP, "area_assignments", "dishub.csv", "nip,area_code,date_from,date_to\n"
          f"{IRFAN},TUGU,2026-09-01,2026-09-30\n{JOKO},SIMPANGLIMA,2026-09-01,2026-09-30\n"
          f"{LUKMAN},PEMUDA,2026-09-01,2026-09-30\n")
    write(landing, OCT, "area_assignments", "dishub.csv", "nip,area_code,date_from,date_to\n"
          f"{IRFAN},TUGU,2026-10-01,2026-10-31\n{JOKO},SIMPANGLIMA,2026-10-01,2026-10-15\n"
          f"{JOKO},TUGU,2026-10-16,2026-10-31\n{LUKMAN},PEMUDA,2026-10-01,2026-10-31\n")
    write(landing, SEP, "traffic_violations", "dishub.csv", _violations(SEP, SEP_VIOLATIONS, {
        "TUGU": (range(1, 21), IRFAN), "SIMPANGLIMA": (range(1, 16), JOKO)}))  # 20 + 15 PATROL
    write(landing, OCT, "traffic_violations", "dishub.csv", _violations(OCT, OCT_VIOLATIONS, {
        "TUGU": (range(1, 31), IRFAN), "SIMPANGLIMA": (range(16, 32), JOKO)}))  # 30 + 16 PATROL


# ---------------------------------------------------------------------------------------------
# Expected scorecards, by hand.
# ---------------------------------------------------------------------------------------------
DI_ATAS, SESUAI, DI_BAWAH = "Di Atas Ekspektasi", "Sesuai Ekspektasi", "Di Bawah Ekspektasi"


class _NoneOrZero:
    """Attendance counts of a unit whose attendance extract is missing: the contract forbids
    reading them as absences, but does not say whether they are published as 0 or as null."""

    def __repr__(self) -> str:
        return "None or 0"


NONE_OR_ZERO = _NoneOrZero()
NO_SERVICE = dict(tickets_completed=None, sla_met_rate=None, ikm=None, ikm_category=None)
NO_AREA = dict(area_violation_change_pct=None)
NOT_APPLICABLE = {**NO_SERVICE, **NO_AREA}
NO_ATTENDANCE = dict(  # contracts §5: missing data is never a bad score
    days_present=NONE_OR_ZERO, days_excused=NONE_OR_ZERO, days_absent_unexcused=NONE_OR_ZERO,
    late_count=NONE_OR_ZERO, early_leave_count=NONE_OR_ZERO, late_minutes=NONE_OR_ZERO,
    attendance_rate=None, tpp_deduction_pct=NONE_OR_ZERO, unexcused_days_ytd=NONE_OR_ZERO,
    discipline_flag=None, rating_perilaku=None,
)


def _perfect(expected: int) -> dict:
    """Every working day present and on time."""
    return dict(workdays_expected=expected, days_present=expected, days_excused=0, days_absent_unexcused=0,
                late_count=0, early_leave_count=0, late_minutes=0, attendance_rate=1.0, tpp_deduction_pct=0.0,
                rating_perilaku=DI_ATAS)  # 0 TK, 0 TL + PSW <= 1


EXPECTED = {
    SEP: {
        ANI: dict(**_perfect(21), **NOT_APPLICABLE, unexcused_days_ytd=0, discipline_flag=None,
                  rating_hasil_kerja=None, predikat=None, status="PARTIAL"),  # OFFICE: no hasil kerja (R7)
        BUDI: dict(
            workdays_expected=21,
            days_excused=2,  # leave Thu 17 - Mon 21: working days 17 and 21 (18 holiday, 19-20 weekend)
            days_present=19,  # 21 - 2, a punch on each (incl. 7th: only OUT, 9th: one punch)
            days_absent_unexcused=0,
            late_count=3,  # TL1 on 2nd (07:31:00), TL2 on 3rd (08:15), TL4 on 7th (no check-in); 1st 07:30:59 on time
            late_minutes=46,  # 1 + 45 (the TL4 day has no measured minutes)
            early_leave_count=2,  # PSW1 on Fri 4th (16:10 < 16:30), PSW4 on 9th (no check-out)
            attendance_rate=1.0,  # 19 / (21 - 2)
            tpp_deduction_pct=7.0,  # 0.5 + 1.0 + 2.5 + 0.5 + 2.5
            unexcused_days_ytd=0, discipline_flag=None, **NOT_APPLICABLE,
            rating_perilaku=SESUAI,  # 0 TK, tpp 7 < 10, but 3 + 2 = 5 > 1
            rating_hasil_kerja=None, predikat=None, status="PARTIAL"),
        CITRA: dict(
            workdays_expected=21, days_excused=0, days_present=19, days_absent_unexcused=2,  # TK 29th, 30th
            late_count=0, early_leave_count=0, late_minutes=0,
            attendance_rate=0.904762,  # 19 / 21
            tpp_deduction_pct=10.0,  # 2 x 5.0
            unexcused_days_ytd=2, discipline_flag=None,  # 1-2 days: no flag
            **NOT_APPLICABLE,
            rating_perilaku=DI_BAWAH,  # tpp 10 >= 10
            rating_hasil_kerja=None, predikat=None, status="PARTIAL"),
        DEWI: dict(
            workdays_expected=21, days_excused=2,  # CS 29th, 30th
            days_absent_unexcused=3,  # TK 8th, 9th, 10th
            days_present=16,  # 21 - 2 - 3
            late_count=0, early_leave_count=0, late_minutes=0,
            attendance_rate=0.842105,  # 16 / (21 - 2)
            tpp_deduction_pct=15.0,  # 3 x 5.0
            unexcused_days_ytd=3, discipline_flag=None,  # PPPK: no flag (3 would be TEGURAN_LISAN for a PNS)
            **NOT_APPLICABLE,
            rating_perilaku=DI_BAWAH,  # 3 TK >= 3
            rating_hasil_kerja=None, predikat=None, status="PARTIAL"),
        EKO: dict(
            workdays_expected=10,  # from Wed 16: 16, 17, 21, 22, 23, 24, 25, 28, 29, 30
            days_present=10, days_excused=0, days_absent_unexcused=0,
            late_count=1, late_minutes=15, early_leave_count=0,  # 07:45 on the 16th
            attendance_rate=1.0, tpp_deduction_pct=0.5, unexcused_days_ytd=0, discipline_flag=None,
            **NOT_APPLICABLE,
            rating_perilaku=DI_ATAS,  # 10 non-excused working days (>= 10); 0 TK, 1 TL <= 1
            rating_hasil_kerja=None, predikat=None, status="PARTIAL"),
        FAJAR: dict(
            workdays_expected=15,  # 15 roster rows (holiday 18th and weekends included: SHIFT)
            days_present=14, days_excused=0, days_absent_unexcused=1,  # 16th rostered, no punch
            late_count=1, late_minutes=20,  # 08th 07:20 for 07:00
            early_leave_count=0,  # every check-out at or after the shift end (night ones on the next date)
            attendance_rate=0.933333,  # 14 / 15
            tpp_deduction_pct=5.5,  # 5.0 + 0.5
            unexcused_days_ytd=1, discipline_flag=None, **NOT_APPLICABLE,
            rating_perilaku=SESUAI,  # 1 TK (< 3), tpp 5.5 < 10, not 0 TK
            rating_hasil_kerja=None, predikat=None, status="PARTIAL"),
        GITA: dict(
            **_perfect(21), unexcused_days_ytd=0, discipline_flag=None, **NO_AREA,
            tickets_completed=40,  # 20 KTP + 10 AKTA + 5 KK + 4 Saturday + 1 late (not PROSES/DITOLAK/BATAL)
            sla_met_rate=0.975,  # 39 / 40
            # NRR: u1-u4 4, u5 (6x3 + 6x4)/12 = 3.5, u6-u8 4, u9 (5x3 + 5x4)/10 = 3.5 (2 unanswered)
            # IKM = 25 x 35 / 9 = 97.222 -> 97.22 (A)
            ikm=97.22, ikm_category="A",
            rating_hasil_kerja=DI_ATAS,  # 30+ tickets, 0.975 >= 0.95, IKM (12 responses) >= 88.31
            predikat="Sangat Baik",  # Di Atas x Di Atas
            status="SCORED"),
        HADI: dict(
            workdays_expected=21, days_present=21, days_excused=0, days_absent_unexcused=0,
            late_count=2, late_minutes=15,  # 07:40 (10) on 14th, 07:35 (5) on 15th
            early_leave_count=0, attendance_rate=1.0, tpp_deduction_pct=1.0,  # 2 x 0.5
            unexcused_days_ytd=0, discipline_flag=None, **NO_AREA,
            tickets_completed=32,  # 20 + 4 + 8
            sla_met_rate=0.75,  # 24 / 32
            # NRR: u1-u5 3, u6 (6x2 + 4x3)/10 = 2.4, u7 (5x3 + 5x2)/10 = 2.5, u8 3, u9 3; sum 25.9
            # IKM = 25 x 25.9 / 9 = 71.944 -> 71.94 (C: >= 65, < 76.61)
            ikm=71.94, ikm_category="C",
            rating_perilaku=SESUAI,  # 0 TK, tpp 1 < 10, 2 TL > 1
            rating_hasil_kerja=DI_BAWAH,  # 0.75 < 0.80 (and IKM < 76.61)
            predikat="Butuh Perbaikan",  # hasil Di Bawah x perilaku Sesuai
            status="SCORED"),
        IRFAN: dict(**_perfect(21), **NO_SERVICE, unexcused_days_ytd=0, discipline_flag=None,
                    area_violation_change_pct=None,  # no earlier month loaded: no baseline
                    rating_hasil_kerja=None, predikat=None, status="PARTIAL"),
        JOKO: dict(**_perfect(21), **NO_SERVICE, unexcused_days_ytd=0, discipline_flag=None,
                   area_violation_change_pct=None, rating_hasil_kerja=None, predikat=None, status="PARTIAL"),
        KARTIKA: dict(workdays_expected=21, **NO_ATTENDANCE, **NOT_APPLICABLE,
                      rating_hasil_kerja=None, predikat=None, status="INSUFFICIENT_DATA"),
        LUKMAN: dict(workdays_expected=21, **NO_ATTENDANCE, **NO_SERVICE, area_violation_change_pct=None,
                     rating_hasil_kerja=None, predikat=None, status="INSUFFICIENT_DATA"),
    },
    OCT: {
        ANI: dict(**_perfect(21), **NOT_APPLICABLE, unexcused_days_ytd=0, discipline_flag=None,
                  rating_hasil_kerja=None, predikat=None, status="PARTIAL"),
        BUDI: dict(
            workdays_expected=21, days_present=21, days_excused=0, days_absent_unexcused=0,
            late_count=1, late_minutes=90,  # 09:00:30 on the 7th: floor(90.5) = 90 -> TL3
            early_leave_count=1,  # 15:59:00 on the 6th (1 min, PSW1); 15:59:01 on the 5th is 0 min
            attendance_rate=1.0,
            tpp_deduction_pct=1.75,  # 1.25 + 0.5
            unexcused_days_ytd=0, discipline_flag=None, **NOT_APPLICABLE,
            rating_perilaku=SESUAI,  # 1 + 1 = 2 > 1
            rating_hasil_kerja=None, predikat=None, status="PARTIAL"),
        CITRA: dict(
            workdays_expected=21, days_excused=0, days_present=20, days_absent_unexcused=1,  # TK 1st
            late_count=0, early_leave_count=0, late_minutes=0,
            attendance_rate=0.952381,  # 20 / 21
            tpp_deduction_pct=5.0,
            unexcused_days_ytd=3,  # 2 (2026-09 as published) + 1
            discipline_flag="TEGURAN_LISAN",  # 3
            **NOT_APPLICABLE,
            rating_perilaku=SESUAI,  # 1 TK < 3, tpp 5 < 10, not 0 TK
            rating_hasil_kerja=None, predikat=None, status="PARTIAL"),
        DEWI: dict(
            workdays_expected=21, days_excused=2,  # CS 1st, 2nd
            days_present=19, days_absent_unexcused=0, late_count=0, early_leave_count=0, late_minutes=0,
            attendance_rate=1.0,  # 19 / (21 - 2)
            tpp_deduction_pct=0.0,
            unexcused_days_ytd=3, discipline_flag=None,  # 3 + 0, PPPK: no flag
            **NOT_APPLICABLE, rating_perilaku=DI_ATAS,
            rating_hasil_kerja=None, predikat=None, status="PARTIAL"),
        EKO: dict(**_perfect(21), **NOT_APPLICABLE, unexcused_days_ytd=0, discipline_flag=None,
                  rating_hasil_kerja=None, predikat=None, status="PARTIAL"),
        FAJAR: dict(
            **_perfect(11),  # 11 roster rows, all on time; the 10-01 07:05 punch belongs to 2026-09
            unexcused_days_ytd=1,  # 1 (2026-09) + 0
            discipline_flag=None, **NOT_APPLICABLE,
            rating_hasil_kerja=None, predikat=None, status="PARTIAL"),
        GITA: dict(
            **_perfect(21), unexcused_days_ytd=0, discipline_flag=None, **NO_AREA,
            tickets_completed=25,  # 20 KTP + 5 KK
            sla_met_rate=0.8,  # 20 / 25: published though under 30 tickets (R13)
            ikm=None, ikm_category=None,  # no responses in 10
            rating_hasil_kerja=None,  # 25 < 30 tickets
            predikat=None, status="PARTIAL"),
        HADI: dict(
            workdays_expected=21, days_present=21, days_excused=0, days_absent_unexcused=0,
            late_count=1, late_minutes=15,  # 07:45 on the 5th
            early_leave_count=1,  # 15:50 on Thu 8th (end 16:00)
            attendance_rate=1.0, tpp_deduction_pct=1.0,  # 0.5 + 0.5
            unexcused_days_ytd=0, discipline_flag=None, **NO_AREA,
            tickets_completed=30,  # 19 KTP + 1 received 09-30 + 4 AKTA + 6 slow
            sla_met_rate=0.8,  # 24 / 30: exactly 0.80, not below
            # 10 responses (4 on September tickets): NRR u1-u5 3, u6 4, u7 3, u8 2, u9 3; sum 27
            # IKM = 25 x 27 / 9 = 75.00 (C)
            ikm=75.0, ikm_category="C",
            rating_perilaku=SESUAI,  # TL + PSW = 2 > 1
            rating_hasil_kerja=DI_BAWAH,  # IKM 75 < 76.61 (SLA 0.80 is not < 0.80)
            predikat="Butuh Perbaikan", status="SCORED"),
        IRFAN: dict(
            workdays_expected=21, days_present=21, days_excused=0, days_absent_unexcused=0,
            late_count=2, late_minutes=30,  # 07:40 (10) on 12th, 07:50 (20) on 13th
            early_leave_count=0, attendance_rate=1.0, tpp_deduction_pct=1.0,
            unexcused_days_ytd=0, discipline_flag=None, **NO_SERVICE,
            # TUGU 10-01..10-31 (31 assigned days): 55 counted / 31 = 1.7742; baseline 60 / 30 = 2.0
            # (55/31 - 2) / 2 x 100 = (55 - 62) / 62 x 100 = -11.290 -> -11.29
            area_violation_change_pct=-11.29,
            rating_perilaku=SESUAI,  # 2 TL > 1
            rating_hasil_kerja=DI_ATAS,  # <= -10
            predikat="Baik",  # hasil Di Atas x perilaku Sesuai
            status="SCORED"),
        JOKO: dict(
            workdays_expected=21, days_present=17, days_excused=0,
            days_absent_unexcused=4,  # TK 19th-22nd
            late_count=0, early_leave_count=0, late_minutes=0,
            attendance_rate=0.809524,  # 17 / 21
            tpp_deduction_pct=20.0,  # 4 x 5.0
            unexcused_days_ytd=4, discipline_flag="TEGURAN_TERTULIS",  # 0 + 4: 4-6
            **NO_SERVICE,
            # SIMPANGLIMA 1-15 (15 days, 60 counted), TUGU 16-31 (16 days, 30 counted): current 90 / 31
            # baseline (3.0 x 15 + 2.0 x 16) / 31 = 77 / 31; (90 - 77) / 77 x 100 = 16.883 -> 16.88
            area_violation_change_pct=16.88,
            rating_perilaku=DI_BAWAH,  # 4 TK >= 3
            rating_hasil_kerja=DI_BAWAH,  # >= +10
            predikat="Sangat Kurang",  # Di Bawah x Di Bawah
            status="SCORED"),
        KARTIKA: dict(workdays_expected=21, **NO_ATTENDANCE, **NOT_APPLICABLE,
                      rating_hasil_kerja=None, predikat=None, status="INSUFFICIENT_DATA"),
        LUKMAN: dict(
            workdays_expected=21, **NO_ATTENDANCE, **NO_SERVICE,
            # PEMUDA all month: 45 / 31 = 1.4516; baseline 45 / 30 = 1.5
            # (45/31 - 1.5) / 1.5 x 100 = (45 - 46.5) / 46.5 x 100 = -3.226 -> -3.23
            area_violation_change_pct=-3.23,
            rating_hasil_kerja=SESUAI,  # between -10 and +10
            predikat=None,  # no rating perilaku (attendance MISSING)
            status="PARTIAL"),
    },
}

# R12, by hand: (nip, kind, code) per period.
EXPECTED_RECOMMENDATIONS = {
    SEP: sorted([
        (CITRA, "PEMBINAAN", "DISIPLIN"),  # rating_perilaku Di Bawah
        (DEWI, "PEMBINAAN", "DISIPLIN"),  # rating_perilaku Di Bawah (no flag: PPPK)
        (GITA, "REWARD", "KANDIDAT_PENGHARGAAN"),  # Sangat Baik
        (HADI, "TRAINING", "KOMPETENSI_TEKNIS"),  # NRR u6 2.4 < 3.0644, 10 responses
        (HADI, "TRAINING", "PELAYANAN_PRIMA"),  # IKM 71.94 < 76.61 (and NRR u7 2.5 < 3.0644)
    ]),
    OCT: sorted([
        (CITRA, "PEMBINAAN", "DISIPLIN"),  # flag TEGURAN_LISAN
        (HADI, "SUPPORT", "PENDAMPINGAN"),  # Butuh Perbaikan in 09 and 10
        (HADI, "TRAINING", "PELAYANAN_PRIMA"),  # IKM 75.00 < 76.61 (and NRR u7 3.0); u6 4.0: no KOMPETENSI_TEKNIS
        (JOKO, "PEMBINAAN", "DISIPLIN"),  # Di Bawah and TEGURAN_TERTULIS
        # JOKO: Sangat Kurang in 10 but no predikat in 09 -> no SUPPORT; IRFAN: Baik -> no REWARD
    ]),
}

EXPECTED_HEADCOUNT = {"BKPP": 5, "DISHUB": 2, "DUKCAPIL": 2, "RSUD": 1, "UPTPARKIR": 2}

TOLERANCE = {  # numeric columns come back as Decimal or float
    "attendance_rate": 1e-3, "sla_met_rate": 5e-4, "tpp_deduction_pct": 1e-6,
    "ikm": 1e-6, "area_violation_change_pct": 1e-6,  # published rounded to 2 decimals (R8, R10)
}
SCORECARD_COLUMNS = [
    "period", "nip", "status", "status_reason", "workdays_expected", "days_present", "days_excused",
    "days_absent_unexcused", "late_count", "early_leave_count", "late_minutes", "attendance_rate",
    "tpp_deduction_pct", "unexcused_days_ytd", "discipline_flag", "tickets_completed", "sla_met_rate",
    "ikm", "ikm_category", "area_violation_change_pct", "rating_perilaku", "rating_hasil_kerja",
    "predikat", "rules_version", "run_id", "published_at",
]


def _rows(conn, sql: str, params=None) -> list[dict]:
    with conn.cursor() as cur:
        cur.execute(sql, params)
        names = [d[0] for d in cur.description]
        rows = [dict(zip(names, row)) for row in cur.fetchall()]
    conn.rollback()
    return rows


def _mismatch(column: str, got, want) -> bool:
    if want is NONE_OR_ZERO:
        return got is not None and got != 0
    if want is None or got is None:
        return got is not want
    if column in TOLERANCE:
        return float(got) != pytest.approx(want, abs=TOLERANCE[column])
    return got != want


def _run(landing, period: str) -> None:
    assert cli.main(["run", "--period", period, "--landing", str(landing)]) == 0, f"kinerja run {period}"


def _run_both(landing) -> None:
    build_landing(landing)
    _run(landing, SEP)
    _run(landing, OCT)


def _stage_cleanly(db, landing, period: str) -> int:
    """Stage a period of the scenario and check nothing in it was refused or rejected."""
    run = stage_period(Period.parse(period), landing).run
    files = query(db, "select file_name, outcome, rows_read, rows_loaded, rows_rejected, message"
                      " from meta.source_file where run_id = %s order by file_name", (run.run_id,))
    # employees, leave, rosters, 4 x attendance, holidays, service_catalog, service_tickets,
    # service_surveys, traffic_violations, area_assignments
    assert len(files) == 13, files
    assert [f for f in files if f[1] != "LOADED" or f[4] != 0 or f[2] != f[3]] == [], files
    assert query(db, "select source, file_name, row_number, column_name, rule, reason from meta.rejected_row"
                     " where run_id = %s", (run.run_id,)) == []
    coverage = query(db, "select unit_code, status from meta.source_coverage"
                         " where run_id = %s and source = 'attendance' order by 1", (run.run_id,))
    assert coverage == [("BKPP", "PRESENT"), ("DISHUB", "PRESENT"), ("DUKCAPIL", "PRESENT"),
                        ("RSUD", "PRESENT"), ("UPTPARKIR", "MISSING")]
    assert query(db, "select holiday_date::text from staging.holidays where run_id = %s", (run.run_id,)) == [
        ("2026-09-18",) if period == SEP else ("2026-10-28",)]
    return run.run_id


def _fajar_punches(db, run_id: int) -> list[tuple]:
    return query(db, "select count(*), max(punched_at at time zone 'Asia/Jakarta')::text from staging.attendance"
                     " where run_id = %s and nip = %s", (run_id, FAJAR))


def test_scenario_files_load_without_a_rejected_row(db, landing):
    """The scenario's extracts are all valid: every file LOADED, no row rejected, the night-shift
    check-out of 10-01 kept in 2026-09, and only UPTPARKIR without attendance."""
    build_landing(landing)
    september = _stage_cleanly(db, landing, SEP)
    # 14 of the 15 rostered shifts punched twice: 28 punches, the last the check-out on 10-01
    assert _fajar_punches(db, september) == [(28, "2026-10-01 07:05:00")]
    # October's surveys answer four September tickets: those are known once September is the
    # period's published run (kinerja run), not after a bare staging
    _run(landing, SEP)
    october = _stage_cleanly(db, landing, OCT)
    assert _fajar_punches(db, october) == [(23, "2026-10-22 21:01:00")]  # 11 x 2 + the 10-01 07:05 repeat


def test_two_months_publish_the_hand_computed_scorecards(db, landing):
    _run_both(landing)
    columns = ", ".join(SCORECARD_COLUMNS)
    problems = []
    for period, expected in EXPECTED.items():
        rows = {r["nip"]: r for r in _rows(db, f"select {columns} from mart.employee_scorecard"
                                                f" where period = %s order by nip", (period,))}
        assert sorted(rows) == sorted(expected), f"{period}: scorecard rows for {sorted(rows)}"
        for nip, want in expected.items():
            got = rows[nip]
            for column, value in want.items():
                if _mismatch(column, got[column], value):
                    problems.append(f"{period} {NAMES[nip]} {column}: got {got[column]!r}, expected {value!r}")
            if got["status"] != "SCORED" and not got["status_reason"]:
                problems.append(f"{period} {NAMES[nip]}: status {got['status']} without a status_reason")
            if nip in (KARTIKA, LUKMAN) and "data presensi unit UPTPARKIR tidak ada" not in (got["status_reason"] or ""):
                problems.append(f"{period} {NAMES[nip]}: status_reason {got['status_reason']!r} does not name attendance")
            for column in ("rules_version", "run_id", "published_at"):
                if got[column] is None:
                    problems.append(f"{period} {NAMES[nip]}: {column} is null")
    assert problems == [], "\n" + "\n".join(problems)


def test_two_months_publish_the_hand_computed_recommendations_and_unit_summary(db, landing):
    _run_both(landing)
    for period in (SEP, OCT):
        recs = _rows(db, "select nip, kind, code, reason from mart.recommendation where period = %s", (period,))
        got = sorted((r["nip"], r["kind"], r["code"]) for r in recs)
        named = [(NAMES.get(n, n), k, c) for n, k, c in got]
        assert got == EXPECTED_RECOMMENDATIONS[period], f"{period}: {named}"
        assert all(r["reason"] and r["reason"].strip() for r in recs), recs
        summary = query(db, "select unit_code, headcount from mart.unit_summary where period = %s order by 1", (period,))
        assert dict(summary) == EXPECTED_HEADCOUNT, summary


def _published(conn, table: str, period: str) -> list[tuple]:
    """A period's rows of a mart table, every column but the run's lineage, in a stable order."""
    with conn.cursor() as cur:
        cur.execute("select column_name from information_schema.columns where table_schema = 'mart'"
                    " and table_name = %s order by ordinal_position", (table,))
        columns = [c for (c,) in cur.fetchall() if c not in ("run_id", "published_at")]
    conn.rollback()
    listed = ", ".join(f'"{c}"' for c in columns)
    return query(conn, f"select {listed} from mart.{table} where period = %s order by row({listed})::text", (period,))


def _whole(conn, table: str, period: str) -> list[tuple]:
    return query(conn, f"select t.* from mart.{table} t where period = %s order by t::text", (period,))


def test_rerunning_october_publishes_identical_rows_and_leaves_september_alone(db, landing):
    _run_both(landing)
    tables = ("employee_scorecard", "recommendation", "unit_summary")
    before = {t: _published(db, t, OCT) for t in tables}
    september = {t: _whole(db, t, SEP) for t in tables}
    runs = query(db, "select distinct run_id from mart.employee_scorecard where period = %s", (OCT,))
    _run(landing, OCT)
    for table in tables:
        assert _published(db, table, OCT) == before[table], table
        # re-running a period never changes another period's published rows (contracts §1)
        assert _whole(db, table, SEP) == september[table], table
    assert before["employee_scorecard"] and len(before["employee_scorecard"]) == 12
    rerun = query(db, "select distinct run_id from mart.employee_scorecard where period = %s", (OCT,))
    assert len(rerun) == 1 and rerun != runs  # the second run's rows replaced the first's
