"""Row rules that need more than one row (domain-rules R13): duplicate keys, events outside the
period, date order, conditional requirements and references across sources.

They run on the run's staged rows once every file is loaded. A failing row moves, in one
statement, from its staging partition to meta.rejected_row with its rule, reason and raw row; the
first rule a row fails is its reason. Afterwards each file is held to the thresholds of R13
(config/rules.yml data_quality, 5 % as shipped).
"""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.load.file_loader import raw_rows_view
from pipelines.rules.catalog import message, sql_template
from pipelines.rules.columns import sources
from pipelines.rules.coverage import CITY_WIDE, named_nips_sql, nip_column, unit_expr
from pipelines.rules_file import rules

WIB_DATE = "(({c}) at time zone 'Asia/Jakarta')::date"


@dataclass(frozen=True)
class SetRule:
    code: str
    source: str
    column: str
    # SQL of the failing rows: (file_no, row_number, value, detail) from staging.<source> s, with
    # the parameters of set_rule_params().
    failing: str
    period_rule: bool = False  # needs the period (not checked when it is unknown)
    needs: str | None = None  # a reference source; without its rows the rule is not checked in `check`


def _where(source: str, condition: str, value: str, detail: str = "null::text") -> str:
    return (
        f"select s.file_no, s.row_number, ({value})::text as value, ({detail})::text as detail"
        f" from staging.{source} s where s.run_id = %(run)s and ({condition})"
    )


def _ts(column: str) -> str:
    return f"to_char(s.{column} at time zone 'Asia/Jakarta', 'YYYY-MM-DD HH24:MI')"


def _outside(source: str, column: str, sql: str, extra: str = "true", *, instant: bool = False) -> SetRule:
    """OUTSIDE_PERIOD of a date `sql`, or (instant) a timestamptz compared with the period's first
    instant and the next period's in WIB: the rows its local date would give, without computing
    that date for each row."""
    start, end = ("%(start_at)s", "%(end_at)s") if instant else ("%(start)s", "%(end)s")
    in_period = f"{sql} >= {start} and {sql} < {end}"
    return SetRule(
        "OUTSIDE_PERIOD", source, column,
        _where(source, f"not ({in_period}) and {extra}", f"s.{column}::text", "%(period)s"),
        period_rule=True,
    )


def _date_order(source: str, later: str, earlier: str, show=lambda c: f"s.{c}::text") -> SetRule:
    return SetRule(
        "DATE_ORDER", source, later,
        _where(source, f"s.{later} < s.{earlier}", show(later), f"'{earlier} ' || {show(earlier)}"),
    )


def _active_employee(nip_sql: str) -> str:
    return (
        "exists (select from staging.employees e where e.run_id = s.run_id"
        f" and e.nip = {nip_sql} and e.active_from < %(end)s"
        " and (e.active_to is null or e.active_to >= %(start)s))"
    )


def _references(source: str, column: str) -> list[SetRule]:
    refused = f"s.{column} in (select nip from refused_employee_nip)"
    return [
        SetRule("EMPLOYEE_FILE_REFUSED", source, column,
                _where(source, refused, f"s.{column}",
                       f"(select string_agg(distinct file_name, ', ') from refused_employee_nip r where r.nip = s.{column})"),
                needs="employees"),
        SetRule("UNKNOWN_EMPLOYEE", source, column,
                _where(source, f"s.{column} is not null and not {_active_employee(f's.{column}')}", f"s.{column}"),
                needs="employees"),
    ]


def _duplicate(source: str, key: str) -> SetRule:
    """The first occurrence stays: files in name order (file_no), then row order."""
    return SetRule(
        "DUPLICATE_KEY", source, key,
        f"""select d.file_no, d.row_number, d.key as value,
                   f.file_name || ' row ' || d.first_row as detail
            from (
                select file_no, row_number, {key} as key,
                       first_value(file_no) over w as first_file,
                       first_value(row_number) over w as first_row,
                       row_number() over w as nth
                from staging.{source} where run_id = %(run)s
                window w as (partition by {key} order by file_no, row_number)
            ) d
            join meta.source_file f on f.run_id = %(run)s and f.file_no = d.first_file
            where d.nth > 1""",
    )


def _not_shift_checkout(punch: str) -> str:
    """R2: a punch on the 1st of the next month in the check-out window (up to
    shift_checkout_after_hours after the end)
    of a shift rostered in this period belongs to this period. (One NOT EXISTS, so it plans as a
    hash anti-join rather than a lookup per punch.)"""
    return f"""not exists (
        select from staging.rosters r
        where r.run_id = s.run_id and r.nip = s.nip
          and {WIB_DATE.format(c=punch)} = %(end)s
          and r.shift_date >= %(start)s and r.shift_date < %(end)s
          and {punch} >= (r.shift_date + r.shift_start) at time zone 'Asia/Jakarta'
          and {punch} <= (r.shift_date + r.shift_end
                          + case when r.shift_end <= r.shift_start then interval '1 day' else interval '0' end
                          + interval '1 hour' * %(checkout_after_hours)s) at time zone 'Asia/Jakarta')"""


# A rating's period is the run's month, or the quarter that holds it (README "Scoring rules").
_QUARTER = "left(%(period)s, 4) || '-Q' || ((substr(%(period)s, 6, 2)::int + 2) / 3)"
SKP_OUTSIDE_PERIOD = SetRule(
    "OUTSIDE_PERIOD", "skp_ratings", "rating_period",
    _where("skp_ratings", f"s.rating_period not in (%(period)s, {_QUARTER})", "s.rating_period",
           f"%(period)s || ' (or its quarter ' || {_QUARTER} || ')'"),
    period_rule=True,
)

# Employees first: their thresholds decide which employees file is refused before the other
# sources' rows are checked against the employees.
EMPLOYEE_RULES = [
    _date_order("employees", "active_to", "active_from"),
    _duplicate("employees", "nip"),
]

RULES = [
    SetRule("REQUIRED", "service_tickets", "officer_nip",
            _where("service_tickets", "s.status = 'SELESAI' and s.officer_nip is null", "null", "' when status is SELESAI'")),
    SetRule("REQUIRED", "service_tickets", "completed_at",
            _where("service_tickets", "s.status = 'SELESAI' and s.completed_at is null", "null", "' when status is SELESAI'")),
    _date_order("service_tickets", "completed_at", "received_at", _ts),
    _date_order("leave", "date_to", "date_from"),
    _date_order("area_assignments", "date_to", "date_from"),
    _outside("attendance", "punched_at", "s.punched_at", _not_shift_checkout("s.punched_at"), instant=True),
    _outside("rosters", "shift_date", "s.shift_date"),
    _outside("service_tickets", "completed_at", "coalesce(s.completed_at, s.received_at)", instant=True),
    _outside("service_surveys", "submitted_at", "s.submitted_at", instant=True),
    _outside("traffic_violations", "occurred_at", "s.occurred_at", instant=True),
    SKP_OUTSIDE_PERIOD,
    *_references("attendance", "nip"),
    *_references("leave", "nip"),
    *_references("rosters", "nip"),
    *_references("area_assignments", "nip"),
    *_references("service_tickets", "officer_nip"),
    *_references("traffic_violations", "officer_nip"),
    *_references("skp_ratings", "nip"),
    *_references("skp_ratings", "evaluator_nip"),
    SetRule("SELF_RATING", "skp_ratings", "evaluator_nip",
            _where("skp_ratings", "s.evaluator_nip = s.nip", "s.evaluator_nip")),
    *_references("tpp_base", "nip"),
    SetRule("UNKNOWN_SERVICE", "service_tickets", "service_code",
            _where("service_tickets",
                   "not exists (select from staging.service_catalog c"
                   " where c.run_id = s.run_id and c.service_code = s.service_code)",
                   "s.service_code"),
            needs="service_catalog"),
    SetRule("UNKNOWN_TICKET", "service_surveys", "ticket_id",
            _where("service_surveys",
                   "not exists (select from staging.service_tickets t where t.run_id = s.run_id"
                   " and t.ticket_id = s.ticket_id)"
                   " and not exists (select from staging.service_tickets t"
                   " join meta.staged_period p using (period, run_id)"
                   " where p.period < %(period)s and t.ticket_id = s.ticket_id)",
                   "s.ticket_id"),
            needs="service_tickets"),
    _duplicate("service_catalog", "service_code"),
    _duplicate("service_tickets", "ticket_id"),
    _duplicate("service_surveys", "response_id"),
    _duplicate("traffic_violations", "violation_id"),
    _duplicate("skp_ratings", "nip"),  # every row left rates the run's month: one per employee
    _duplicate("tpp_base", "nip"),
]

EVENT_SOURCES = {r.source for r in RULES if r.code == "OUTSIDE_PERIOD"}


def set_rule_params(run_id: int, period) -> dict:
    """What the rules' SQL reads: the run, the period (start: its first day, end: the next
    month's; start_at, end_at: their first instants in WIB) and the rules file's check-out window
    of a shift."""
    return {"run": run_id, "period": str(period), "start": period.first_day, "end": period.end_day,
            "start_at": period.first_instant, "end_at": period.end_instant,
            "checkout_after_hours": rules()["schedules"]["shift_checkout_after_hours"]}


def apply_rule(cur, rule: SetRule, params: dict) -> int:
    """Move the rule's failing rows from staging to meta.rejected_row; returns how many.

    The failing rows are found first; only the files that have some are then joined with their
    raw rows, so a rule that finds nothing reads no raw text."""
    cur.execute(f"create temp table bad_rows on commit drop as {rule.failing}", params)
    cur.execute("select distinct file_no from bad_rows order by 1")
    files = [row[0] for row in cur.fetchall()]
    if files:
        cur.execute(
            f"""delete from staging.{rule.source} s using bad_rows b
                where s.run_id = %(run)s and s.file_no = b.file_no and s.row_number = b.row_number""",
            params,
        )
        template = sql_template(rule.code, rule.column).replace("%", "%%").replace("'", "''")
        for file_no in files:
            cur.execute(
                f"""insert into meta.rejected_row (run_id, file_no, period, source, file_name,
                        row_number, column_name, value, rule, reason, detail, raw_row)
                    select %(run)s, b.file_no, %(period)s, '{rule.source}', f.file_name, b.row_number,
                           '{rule.column}', b.value, '{rule.code}',
                           format('{template}', b.value, b.detail), b.detail, r.raw_row
                    from bad_rows b
                    join meta.source_file f on f.run_id = %(run)s and f.file_no = b.file_no
                    left join {raw_rows_view(params["run"], file_no)} r on r.row_number = b.row_number
                    where b.file_no = %(file_no)s""",
                {**params, "file_no": file_no},
            )
    cur.execute("select count(*) from bad_rows")
    moved = cur.fetchone()[0]
    cur.execute("drop table bad_rows")
    return moved


def file_thresholds(cur, params: dict, sources: set[str]) -> list[tuple[int, str, str]]:
    """R13's file thresholds for the run's loaded files of `sources`: (file_no, rule, detail) to
    refuse. Rows rejected only because their employee's file was refused do not count."""
    quality = rules()["data_quality"]
    wrong_period, rejected = quality["wrong_period_share"], quality["rejected_share"]
    cur.execute(
        """select f.file_no, f.source, f.rows_read,
                  count(distinct r.row_number) filter (where r.rule = 'OUTSIDE_PERIOD'),
                  count(distinct r.row_number) filter (where r.rule <> 'EMPLOYEE_FILE_REFUSED')
           from meta.source_file f
           left join meta.rejected_row r on r.run_id = f.run_id and r.file_no = f.file_no
           where f.run_id = %(run)s and f.outcome = 'LOADED' and f.source = any(%(sources)s)
           group by f.file_no, f.source, f.rows_read""",
        {**params, "sources": sorted(sources)},
    )
    refusals = []
    for file_no, source, read, outside, counted in cur.fetchall():
        if source in EVENT_SOURCES and outside > wrong_period * read:
            refusals.append((file_no, "FILE_WRONG_PERIOD", _share(outside, read, wrong_period)))
        elif counted > rejected * read:
            refusals.append((file_no, "FILE_TOO_MANY_REJECTED", _share(counted, read, rejected)))
    return refusals


def _share(part: int, whole: int, limit: float) -> str:
    return f"{part} of {whole} ({100 * part / whole:.1f} %, more than {100 * limit:g} %)"


def refuse_file(
    cur, params: dict, file_no: int, source: str, rule: str, detail: str, keep_rows: bool = False
) -> None:
    """A refused file loads nothing and keeps no rejected rows: its rows stay in the file (`check`
    keeps them, to show the department which rows tipped it over). The units it held rows for are
    noted first, for coverage."""
    args = {**params, "file_no": file_no}
    record_refused_owners(cur, args, source)
    cur.execute(f"delete from staging.{source} where run_id = %(run)s and file_no = %(file_no)s", args)
    if not keep_rows:
        cur.execute("delete from meta.rejected_row where run_id = %(run)s and file_no = %(file_no)s", args)
    cur.execute(
        """update meta.source_file set outcome = 'REJECTED', rows_loaded = 0,
               rows_rejected = rows_read, rule = %(rule)s, message = %(message)s, detail = %(detail)s
           where run_id = %(run)s and file_no = %(file_no)s""",
        {**args, "rule": rule, "message": message(rule, detail=detail), "detail": detail},
    )


def record_refused_owners(cur, args: dict, source: str) -> None:
    """The units whose rows the refused file `args["file_no"]` held (its valid rows are still
    staged; a city-wide source's file holds rows for every unit), and the employees its rows name,
    rejected rows included (a row rejected for a bad date still names its employee)."""
    if source in CITY_WIDE:
        cur.execute(
            "insert into meta.refused_file_unit (run_id, file_no, unit_code)"
            " values (%(run)s, %(file_no)s, '(city-wide)')",
            args,
        )
    else:
        unit, join = unit_expr(sources()[source])
        cur.execute(
            f"""with emp_of_run as (select distinct nip, unit_code from staging.employees
                                    where run_id = %(run)s)
                insert into meta.refused_file_unit (run_id, file_no, unit_code)
                select distinct %(run)s, %(file_no)s, unit_code from (
                    select {unit} as unit_code from staging.{source} s {join}
                    where s.run_id = %(run)s and s.file_no = %(file_no)s) u
                where unit_code not like '(%%'""",
            args,
        )
    if nip_column(sources()[source]):
        cur.execute(
            f"insert into meta.refused_file_employee (run_id, file_no, nip)"
            f" select %(run)s, %(file_no)s, nip from ({named_nips_sql(raw_rows_view(args['run'], args['file_no']), 'raw_row')}) n",
            args,
        )


def recount_files(cur, params: dict) -> None:
    """rows_loaded and rows_rejected of each loaded file after the set rules moved rows."""
    cur.execute(
        """update meta.source_file f set rows_rejected = r.n, rows_loaded = f.rows_read - r.n
           from (select f2.file_no, count(distinct x.row_number) as n
                 from meta.source_file f2
                 left join meta.rejected_row x on x.run_id = f2.run_id and x.file_no = f2.file_no
                 where f2.run_id = %(run)s group by f2.file_no) r
           where f.run_id = %(run)s and f.file_no = r.file_no and f.outcome = 'LOADED'""",
        params,
    )
