"""Completeness per unit and source (contracts.md §5): missing data must never read as bad work.

meta.source_coverage gets one row per unit and each source its staff need: PRESENT, MISSING (no
rows at all), INCOMPLETE (a partial attendance export), REFUSED (its file was refused) or LATE (no
rows, and the scheduler's deadline for the source passed before any file came). Scoring withholds
a rating on that alone. Row counts far from a unit's recent mean are warnings.
"""

from __future__ import annotations

from datetime import timedelta

from pipelines.load.registry import Run
from pipelines.rules.catalog import message
from pipelines.rules.columns import Source, sources
from pipelines.rules_file import rules


def quality() -> dict:
    """R13's thresholds (config/rules.yml data_quality): incomplete_attendance (share, min_employees)
    and row_count_warning (deviation, min_mean_rows, recent_periods)."""
    return rules()["data_quality"]


# Sources not kept per unit: one refused file leaves every unit's data partial.
CITY_WIDE = ("traffic_violations", "holidays")

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
    duty_day as (
        select e.nip, w.day from emp e join workday w on w.day between e.d_from and e.d_to
        where e.schedule = 'REGULAR'
        union
        select e.nip, r.shift_date from emp e
        join staging.rosters r on r.run_id = %(run)s and r.nip = e.nip and r.shift_date between e.d_from and e.d_to
        where e.schedule = 'SHIFT'
    ),
    on_duty as (select distinct nip from duty_day d where not exists
                    (select from excused x where x.nip = d.nip and x.day = d.day)),
    punched as (select distinct nip from staging.attendance where run_id = %(run)s)
    select e.unit_code,
           count(p.nip) as with_punch,
           count(o.nip) as on_duty,
           count(o.nip) filter (where p.nip is null) as on_duty_without_punch
    from emp e left join punched p using (nip) left join on_duty o using (nip)
    group by e.unit_code
"""


def record_coverage(conn, run: Run, holidays: list, late: dict[str, str] | None = None) -> None:
    """Write (or rewrite) meta.source_coverage for the run. `holidays`: the period's non-working
    weekdays; `late`: source -> why it is late (its deadline passed before any file came)."""
    late = late or {}
    period = run.period
    params = {
        "run": run.run_id, "period": str(period), "start": period.first_day,
        "last": period.end_day - timedelta(days=1), "holidays": holidays,
        "counted": rules()["hasil_kerja"]["field_officer"]["counted_detections"],
    }
    with conn, conn.cursor() as cur:
        cur.execute("delete from meta.source_coverage where run_id = %s", (run.run_id,))
        cur.execute(_EMPLOYEES, params)
        refused = _refused_files(cur, run.run_id)
        rows = []
        incomplete = quality()["incomplete_attendance"]
        cur.execute(_ATTENDANCE, params)
        for unit, with_punch, on_duty, without in cur.fetchall():
            if with_punch == 0:
                rows.append(_absent(unit, "attendance", refused, period, late))
            elif without > incomplete["share"] * on_duty and without >= incomplete["min_employees"]:
                rows.append((unit, "attendance", "INCOMPLETE",
                             f"{without} of {on_duty} employees with working days have no punch at all"
                             " (a partial export?)"))
            else:
                rows.append(_partly_refused(unit, "attendance", refused))
        for source, who in {**NEEDED_BY, **_sent_optional(cur, run.run_id)}.items():
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
                rows.append(_partly_refused(unit, source, refused) if present else _absent(unit, source, refused, period, late))
            cur.execute("drop table units_with_rows")
        cur.execute("select distinct unit_code from emp order by 1")
        rows += _refused_calendar_inputs([u for (u,) in cur.fetchall()], refused)
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


def _refused_files(cur, run_id: int) -> dict[tuple[str, str | None], list[str]]:
    """Refused files by (source, unit); unit None for a file whose units are not known (refused
    before its rows could be read, e.g. undecodable or missing a column)."""
    cur.execute(
        """select f.source, u.unit_code, f.file_name || ' (' || f.rule || ')'
           from meta.source_file f
           left join meta.refused_file_unit u on u.run_id = f.run_id and u.file_no = f.file_no
           where f.run_id = %s and f.outcome = 'REJECTED' order by f.file_no""",
        (run_id,),
    )
    refused: dict[tuple[str, str | None], list[str]] = {}
    for source, unit, text in cur.fetchall():
        refused.setdefault((source, unit), []).append(text)
    return refused


def _refused_for(unit: str, source: str, refused: dict) -> list[str]:
    """Refused files that held rows of the unit; for a city-wide source, every refused file."""
    city_wide = source in CITY_WIDE
    return [f for (s, u), names in refused.items() if s == source and (u == unit or city_wide) for f in names]


def _partly_refused(unit: str, source: str, refused: dict) -> tuple:
    """A unit with rows of the source: PRESENT, unless a refused file held some of its rows —
    then its data is partial: REFUSED."""
    files = _refused_for(unit, source, refused)
    if not files:
        return unit, source, "PRESENT", None
    return unit, source, "REFUSED", f"some {source} rows of {unit} were in refused files: {', '.join(files)}"


def _refused_calendar_inputs(units: list[str], refused: dict) -> list[tuple]:
    """Leave and holidays extracts decide which days count as absence. No file is fine (no leave;
    the default calendar), but a refused one leaves the days unknown: REFUSED for the units whose
    rows it held, every unit when that is not known (and always for the city-wide holidays)."""
    rows = []
    for source in ("leave", "holidays"):
        unknown = refused.get((source, None), [])  # refused before its units could be read
        for unit in units:
            names = list(dict.fromkeys(_refused_for(unit, source, refused) + unknown))
            if names:
                rows.append((unit, source, "REFUSED", f"{source} file refused ({', '.join(names)}):"
                             " which days are excused or working days is not known"))
    return rows


def _absent(unit: str, source: str, refused: dict, period, late: dict[str, str]) -> tuple:
    """No rows of the source for the unit: REFUSED when a file with its rows was refused, LATE when
    the source's deadline passed before any file came, else MISSING (naming refused files whose
    units could not be read, which may be the unit's)."""
    files = _refused_for(unit, source, refused)
    if files:
        return unit, source, "REFUSED", f"no {source} rows; refused: {', '.join(files)}"
    if source in late:
        return unit, source, "LATE", late[source]
    unknown = refused.get((source, None))
    maybe = f"; refused files of unknown unit: {', '.join(unknown)}" if unknown else ""
    return unit, source, "MISSING", f"no {source} rows for {unit} in {period}{maybe}"


def unit_expr(source: Source) -> tuple[str, str]:
    """(unit expression, join) placing a staged row of `source` in a unit, where it has one."""
    names = {c.name for c in source.columns}
    if "unit_code" in names:
        return "s.unit_code", ""
    nip = next((n for n in ("nip", "officer_nip") if n in names), None)
    if nip:
        unit = f"case when s.{nip} is null then '(no NIP)' else coalesce(e.unit_code, '(NIP not in employees)') end"
        return unit, f"left join emp_of_run e on e.nip = s.{nip}"
    return "'(city-wide)'", ""


def unit_rows(cur, run_id: int) -> list[tuple[str, str, int]]:
    """(unit_code, source, rows staged) for a run."""
    parts = []
    for name, source in sources().items():
        unit, join = unit_expr(source)
        parts.append(
            f"select {unit} as unit_code, '{name}' as source, count(*) as n"
            f" from staging.{name} s {join} where s.run_id = %(run)s group by 1"
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
