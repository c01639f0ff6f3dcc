"""Completeness per unit and source (contracts.md §5): missing data must never read as bad work.

meta.source_coverage gets one row per unit and each source its staff need: PRESENT, MISSING (no
rows at all), INCOMPLETE (a partial attendance export), REFUSED (the unit's only rows of the source
were in refused files) or LATE (no rows, and the scheduler's deadline for the source passed before
any file came). Scoring withholds a rating on that alone. Decided from the rows that loaded: a unit
with rows of a source is PRESENT even when another file of it was refused; the employees whose rows
that file held are withheld one by one (meta.refused_file_employee, read by scorecard.sql). A file
naming no unit or employee (empty, unreadable, no NIP in it) changes no unit's status and is named
in the reasons and the run summary. Row counts far from a unit's recent mean are warnings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from pipelines.export.labels import SOURCE_NAMES, month_name, number
from pipelines.load.registry import Run
from pipelines.rules.catalog import message
from pipelines.rules.columns import Source, sources
from pipelines.rules_file import rules


def quality() -> dict:
    """R13's thresholds (config/rules.yml data_quality): incomplete_attendance (share, min_employees)
    and row_count_warning (deviation, min_mean_rows, recent_periods)."""
    return rules()["data_quality"]


# Sources kept city-wide, not per unit: a file of them holds rows for every unit.
CITY_WIDE = ("traffic_violations", "holidays")
# Sources no rating needs rows of (no leave: no excused day; no holidays file: the default
# calendar), but whose refused rows leave days unknown.
CALENDAR_INPUTS = ("leave", "holidays")

# Which employees need a source, by role or schedule (employees and attendance: everyone). These are
# also the sources the monthly DAG waits for by default: a late one is recorded here.
NEEDED_BY = {
    "employees": "true",
    "attendance": "true",
    "rosters": "e.schedule = 'SHIFT'",
    "service_tickets": "e.role = 'SERVICE_COUNTER'",
    "service_surveys": "e.role = 'SERVICE_COUNTER'",
    "traffic_violations": "e.role = 'FIELD_OFFICER'",
    "area_assignments": "e.role = 'FIELD_OFFICER'",
}
# Sources a period need not have (no file is normal: office staff then stay PARTIAL, R7): covered
# for the employees who use them only in a period with a file of theirs. Never waited for.
OPTIONAL_NEEDED_BY = {"skp_ratings": "e.role = 'OFFICE'"}
# Units that have rows of a source (attendance is decided by the partial-export rule below).
_UNITS_WITH_ROWS = {
    "employees": "select unit_code from emp",
    "rosters": "select e.unit_code from staging.rosters s join emp e using (nip) where s.run_id = %(run)s",
    "service_tickets": "select unit_code from staging.service_tickets where run_id = %(run)s",
    "service_surveys": "select t.unit_code from staging.service_tickets t where t.run_id = %(run)s"
                       " and exists (select from staging.service_surveys s"
                       " where s.run_id = t.run_id and s.ticket_id = t.ticket_id)",
    # Dishub records violations city-wide, by area: present for every unit once there are counted
    # detections (PATROL records alone say nothing of an area's violations, R10).
    "traffic_violations": "select e.unit_code from emp e where exists"
                          " (select from staging.traffic_violations where run_id = %(run)s"
                          " and detected_by = any(%(counted)s))",
    "area_assignments": "select e.unit_code from staging.area_assignments s join emp e using (nip)"
                        " where s.run_id = %(run)s",
    "skp_ratings": "select e.unit_code from staging.skp_ratings s join emp e using (nip) where s.run_id = %(run)s",
    "leave": "select e.unit_code from staging.leave s join emp e using (nip) where s.run_id = %(run)s",
    "holidays": "select unit_code from emp where exists (select from staging.holidays where run_id = %(run)s)",
}

_EMPLOYEES = """
    create temp table emp on commit drop as
    select distinct on (nip) nip, unit_code, schedule, role,
           greatest(active_from, %(start)s) as d_from, least(coalesce(active_to, %(last)s), %(last)s) as d_to
    from staging.employees
    where run_id = %(run)s and active_from <= %(last)s and (active_to is null or active_to >= %(start)s)
    order by nip, file_no, row_number
"""

# R1/R2: an employee is on duty in the period when some working day (REGULAR: Monday-Friday less
# holidays; SHIFT: a rostered day) in the active range is not excused by leave.
_ATTENDANCE = """
    with workday as (
        select d::date as day from generate_series(%(start)s::date, %(last)s::date, interval '1 day') d
        where extract(isodow from d) < 6 and d::date <> all(%(holidays)s::date[])
    ),
    excused as (
        select distinct l.nip, d::date as day
        from staging.leave l,
             generate_series(greatest(l.date_from, %(start)s), least(l.date_to, %(last)s), interval '1 day') d
        where l.run_id = %(run)s
    ),
    -- REGULAR: on duty when the range has more working days than excused ones (counted, not
    -- listed: a list of every duty day is ~22 rows an employee to sort)
    regular_excused as (
        select x.nip, count(*) as days from excused x
        join workday w using (day) join emp e on e.nip = x.nip and x.day between e.d_from and e.d_to
        group by x.nip
    ),
    on_duty as (
        select e.nip from emp e left join regular_excused x using (nip)
        where e.schedule = 'REGULAR'
          and (select count(*) from workday w where w.day between e.d_from and e.d_to) > coalesce(x.days, 0)
        union all
        select distinct e.nip from emp e
        join staging.rosters r on r.run_id = %(run)s and r.nip = e.nip and r.shift_date between e.d_from and e.d_to
        where e.schedule = 'SHIFT' and not exists (select from excused x where x.nip = e.nip and x.day = r.shift_date)
    ),
    punched as (select distinct nip from staging.attendance where run_id = %(run)s),
    -- punches in a refused file: these employees are withheld one by one, not counted as missing
    refused as (select distinct r.nip from meta.refused_file_employee r
                join meta.source_file f on f.run_id = r.run_id and f.file_no = r.file_no
                where r.run_id = %(run)s and f.source = 'attendance')
    select e.unit_code,
           count(*) as headcount,
           count(p.nip) as with_punch,
           count(o.nip) filter (where r.nip is null) as on_duty,
           count(o.nip) filter (where p.nip is null and r.nip is null) as without_punch
    from emp e left join punched p using (nip) left join on_duty o using (nip) left join refused r using (nip)
    group by e.unit_code order by e.unit_code
"""


@dataclass(frozen=True)
class UnitAttendance:
    """A unit's employees and their punches in the period (R1/R2), for the partial-export rule."""

    unit_code: str
    headcount: int  # active in the period
    with_punch: int  # with a punch that loaded
    on_duty: int  # with working days not excused, less those whose punches were in a refused file
    without_punch: int  # of those on duty, without any punch

    @property
    def incomplete(self) -> bool:
        """A partial export: more than the share of those on duty (and at least the minimum count)
        without any punch, although the unit has punches."""
        on_duty, without = self.on_duty, self.without_punch
        rule = quality()["incomplete_attendance"]
        return self.with_punch > 0 and without > rule["share"] * on_duty and without >= rule["min_employees"]


def incomplete_rule() -> tuple[float, int]:
    """(share, minimum count) of the partial-export rule, for the words that state it."""
    rule = quality()["incomplete_attendance"]
    return rule["share"], rule["min_employees"]


def _params(run: Run, holidays: list) -> dict:
    period = run.period
    return {
        "run": run.run_id, "period": str(period), "start": period.first_day,
        "last": period.end_day - timedelta(days=1), "holidays": holidays,
        "counted": rules()["hasil_kerja"]["field_officer"]["counted_detections"],
    }


def unit_attendance(cur, params: dict) -> list[UnitAttendance]:
    """Per unit, its employees and their punches (needs the `emp` table of _EMPLOYEES)."""
    cur.execute(_ATTENDANCE, params)
    return [UnitAttendance(*row) for row in cur.fetchall()]


def incomplete_attendance(conn, run: Run, holidays: list) -> list[UnitAttendance]:
    """The units whose attendance `record_coverage` marks INCOMPLETE (`kinerja check` warns of them)."""
    with conn, conn.cursor() as cur:
        params = _params(run, holidays)
        cur.execute(_EMPLOYEES, params)
        return [unit for unit in unit_attendance(cur, params) if unit.incomplete]


def record_coverage(conn, run: Run, holidays: list, late: dict[str, str] | None = None) -> None:
    """Write (or rewrite) meta.source_coverage for the run. `holidays`: the period's non-working
    weekdays; `late`: source -> why it is late (its deadline passed before any file came)."""
    late = late or {}
    period = run.period
    params = _params(run, holidays)
    with conn, conn.cursor() as cur:
        cur.execute("delete from meta.source_coverage where run_id = %s", (run.run_id,))
        cur.execute(_EMPLOYEES, params)
        refused = _refused_files(cur, run.run_id)
        rows = []
        for a in unit_attendance(cur, params):
            if a.with_punch == 0:
                rows.append(_absent(a.unit_code, "attendance", refused, period, late))
            elif a.incomplete:
                rows.append((a.unit_code, "attendance", "INCOMPLETE",
                             f"{number(a.without_punch, 0)} dari {number(a.on_duty, 0)} pegawai yang punya hari kerja"
                             " tidak punya presensi sama sekali (ekspor tidak lengkap?)"))
            else:
                rows.append(_present(a.unit_code, "attendance", refused))
        for source, who in [*NEEDED_BY.items(), *_sent_optional(cur, run.run_id).items(),
                            *((s, "true") for s in CALENDAR_INPUTS)]:
            if source == "attendance":
                continue
            # The units with rows first, then a join: an IN list over many rows is not hashed
            # once it outgrows work_mem, and then runs once per employee.
            cur.execute(
                f"create temp table units_with_rows on commit drop as"
                f" select distinct unit_code from ({_UNITS_WITH_ROWS[source]}) u",
                params,
            )
            cur.execute(
                f"select distinct e.unit_code, p.unit_code is not null from emp e"
                f" left join units_with_rows p using (unit_code) where {who} order by 1"
            )
            for unit, present in cur.fetchall():
                if source not in CALENDAR_INPUTS:
                    rows.append(_present(unit, source, refused) if present else _absent(unit, source, refused, period, late))
                elif _refused_for(unit, source, refused):  # else no row: nothing of it was refused
                    rows.append(_present(unit, source, refused) if present else _refused_calendar(unit, source, refused))
            cur.execute("drop table units_with_rows")
        cur.executemany(
            "insert into meta.source_coverage (run_id, period, unit_code, source, status, reason)"
            " values (%s, %s, %s, %s, %s, %s)",
            [(run.run_id, str(period), *row) for row in rows],
        )


def _sent_optional(cur, run_id: int) -> dict[str, str]:
    """The optional sources with a file (loaded or refused) in the run, and who needs them."""
    cur.execute("select distinct source from meta.source_file where run_id = %s and source = any(%s)",
                (run_id, list(OPTIONAL_NEEDED_BY)))
    sent = {source for (source,) in cur.fetchall()}
    return {source: who for source, who in OPTIONAL_NEEDED_BY.items() if source in sent}


# (file_no, unit_code, nip): the units a refused file of the run held rows of — those of its
# staged rows (nip null), and those of the run's employees its rows name.
_HELD = """
    select file_no, unit_code, null as nip from meta.refused_file_unit where run_id = %(run)s
    union
    select r.file_no, e.unit_code, r.nip from meta.refused_file_employee r
    join staging.employees e on e.run_id = r.run_id and e.nip = r.nip
    where r.run_id = %(run)s
"""


def refused_file_holders(cur, run_id: int) -> dict[int, tuple[list[str], int]]:
    """Per refused file of the run whose rows name a unit: (those units, how many of the run's
    employees its rows name)."""
    cur.execute(
        f"""select file_no, array_agg(distinct unit_code order by unit_code), count(distinct nip)
            from ({_HELD}) h group by file_no""",
        {"run": run_id},
    )
    return {file_no: (units, employees) for file_no, units, employees in cur.fetchall()}


def _refused_files(cur, run_id: int) -> dict[tuple[str, str | None], list[str]]:
    """Refused files by (source, unit): the units of its staged rows and of the employees its rows
    name; unit None for a file of which neither is known (empty, undecodable, no NIP in it)."""
    cur.execute(
        f"""with held as ({_HELD})
            select f.source, u.unit_code, f.file_name || ' (' || f.rule || ')'
            from meta.source_file f left join held u using (file_no)
            where f.run_id = %(run)s and f.outcome = 'REJECTED' order by f.file_no, u.unit_code""",
        {"run": run_id},
    )
    refused: dict[tuple[str, str | None], list[str]] = {}
    for source, unit, text in cur.fetchall():
        if source in CITY_WIDE and unit is not None:
            unit = "(city-wide)"  # a file naming anyone held rows of the city
        names = refused.setdefault((source, unit), [])
        if text not in names:
            names.append(text)
    return refused


def _refused_for(unit: str, source: str, refused: dict) -> list[str]:
    """Refused files that held rows of the unit (of a city-wide source: rows for every unit)."""
    return refused.get((source, "(city-wide)" if source in CITY_WIDE else unit), [])


def _unknown_units(source: str, refused: dict) -> str:
    """The words for refused files of the source whose units are not known."""
    unknown = refused.get((source, None))
    return (f"berkas ditolak yang tidak menyebut unit atau pegawai (kosong, tidak terbaca, tanpa NIP), tidak"
            f" dihitung untuk unit mana pun: {', '.join(unknown)}" if unknown else "")


# The opening words of a PRESENT unit's reason when some of its rows were refused.
PARTLY_REFUSED = "sebagian data"


def _name(source: str) -> str:
    """A source as HR calls it (the reasons are read in the workbook and the report)."""
    return SOURCE_NAMES.get(source, source)


def _present(unit: str, source: str, refused: dict) -> tuple:
    """A unit with rows of the source that loaded: PRESENT. Refused files that held some of its
    rows are named: the employees whose rows they held are withheld one by one."""
    files = _refused_for(unit, source, refused)
    # PARTLY_REFUSED opens these: the run summary lists them
    partly = (f"{PARTLY_REFUSED} {_name(source)} unit {unit} ada di berkas yang ditolak ({', '.join(files)}):"
              " pegawai yang barisnya ada di berkas itu tidak dinilai dari sumber ini" if files else "")
    return unit, source, "PRESENT", "; ".join(filter(None, [partly, _unknown_units(source, refused)])) or None


def _refused_calendar(unit: str, source: str, refused: dict) -> tuple:
    """Leave or holidays: the unit's only rows were refused, so which days are excused or working
    days is not known."""
    return (unit, source, "REFUSED", f"berkas {_name(source)} ditolak ({', '.join(_refused_for(unit, source, refused))}):"
            " hari cuti/izin dan hari kerja tidak diketahui")


def _absent(unit: str, source: str, refused: dict, period, late: dict[str, str]) -> tuple:
    """No rows of the source for the unit: REFUSED when a refused file held its rows, LATE when
    the source's deadline passed before any file came, else MISSING (naming refused files whose
    units could not be read, which may be the unit's)."""
    files = _refused_for(unit, source, refused)
    if files:
        return (unit, source, "REFUSED",
                f"tidak ada data {_name(source)} yang dimuat; barisnya ada di berkas yang ditolak: {', '.join(files)}")
    if source in late:
        return unit, source, "LATE", late[source]
    unknown = _unknown_units(source, refused)
    return (unit, source, "MISSING", f"tidak ada data {_name(source)} unit {unit} pada {month_name(str(period))}"
            + (f"; {unknown}" if unknown else ""))


def named_nips_sql(records: str, column: str) -> str:
    """The distinct NIPs (18 digits once spaces and dots are removed) that the text `column` of
    the table or view `records` holds: the employees a refused file's rows name, read without
    its columns (coverage keeps only those of the run's employees)."""
    return (f"select distinct m[1] as nip from {records} r,"
            f" regexp_matches(regexp_replace(r.{column}, '[ .]', '', 'g'), '(?<![0-9])([0-9]{{18}})(?![0-9])', 'g') m")


def nip_column(source: Source) -> str | None:
    """The column naming the employee a row of `source` belongs to, where it has one."""
    names = {c.name for c in source.columns}
    return next((n for n in ("nip", "officer_nip") if n in names), None)


def unit_expr(source: Source) -> tuple[str, str]:
    """(unit expression, join) placing a staged row of `source` in a unit, where it has one."""
    if "unit_code" in {c.name for c in source.columns}:
        return "s.unit_code", ""
    nip = nip_column(source)
    if nip:
        unit = f"case when s.{nip} is null then '(no NIP)' else coalesce(e.unit_code, '(NIP not in employees)') end"
        return unit, f"left join emp_of_run e on e.nip = s.{nip}"
    return "'(city-wide)'", ""


def unit_rows(cur, run_id: int) -> list[tuple[str, str, int]]:
    """(unit_code, source, rows staged) for a run."""
    parts = []
    for name, source in sources().items():
        unit, join = unit_expr(source)
        if join:  # counted per NIP first: the join then meets one row per employee, not per punch
            nip = nip_column(source)
            rows = f"(select {nip}, count(*) as n from staging.{name} where run_id = %(run)s group by 1) s"
            parts.append(f"select {unit} as unit_code, '{name}' as source, sum(n)::bigint as n from {rows} {join} group by 1")
        else:
            parts.append(
                f"select {unit} as unit_code, '{name}' as source, count(*) as n"
                f" from staging.{name} s where s.run_id = %(run)s group by 1"
            )
    cur.execute(
        "with emp_of_run as (select distinct on (nip) nip, unit_code from staging.employees"
        " where run_id = %(run)s order by nip, file_no, row_number) "
        + " union all ".join(parts)
        + " order by 1, 2",
        {"run": run_id},
    )
    return cur.fetchall()


def row_count_warnings(conn, run: Run) -> None:
    """A unit's rows of a source far (by default over 50 %) from its mean of the last (3) staged periods."""
    warn = quality()["row_count_warning"]
    with conn, conn.cursor() as cur:
        cur.execute("delete from meta.landing_notice where run_id = %s and rule = 'WARN_ROW_COUNT'", (run.run_id,))
        cur.execute(
            "select run_id from meta.staged_period where period < %s order by period desc limit %s",
            (str(run.period), warn["recent_periods"]),
        )
        earlier = [row[0] for row in cur.fetchall()]
        if not earlier:
            return
        history: dict[tuple[str, str], int] = {}
        for run_id in earlier:
            for unit, source, rows in unit_rows(cur, run_id):
                history[(unit, source)] = history.get((unit, source), 0) + rows
        for unit, source, rows in unit_rows(cur, run.run_id):
            mean = history.get((unit, source), 0) / len(earlier)
            if mean >= warn["min_mean_rows"] and abs(rows - mean) > warn["deviation"] * mean:
                detail = f"{source} rows of {unit}: {rows:,} against a mean of {mean:,.0f} over the last {len(earlier)} periods"
                cur.execute(
                    "insert into meta.landing_notice (run_id, period, source, path, rule, message, detail, unit_code)"
                    " values (%s, %s, %s, %s, 'WARN_ROW_COUNT', %s, %s, %s)",
                    (run.run_id, str(run.period), source, f"{run.period}/{source}",
                     message("WARN_ROW_COUNT", detail=detail), detail, unit),
                )
