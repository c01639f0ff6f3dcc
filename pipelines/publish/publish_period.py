"""Replace one period's rows in every mart table with a scored run's, and make the run's staged rows
the period's, in one transaction: HR never sees a half-written period, a failed publish changes
nothing, and other periods are never touched.

Later periods read this one (year-to-date absence, the trailing TK run and predikat of the month
before, three months of area violations, earlier tickets for survey answers). When re-publishing
changes what they read, they are flagged stale in meta.published_period and named, never
recomputed silently."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipelines.ingest import switch_staging
from pipelines.load.registry import Run
from pipelines.pause import pause_point
from pipelines.resources import read_sql
from pipelines.rules_file import rules
from pipelines.rules_snapshot import record_snapshot
from pipelines.timing import step
from pipelines.transform.parameters import model_params
from pipelines.transform.score import drop_partitions

MARTS = ("employee_scorecard", "employee_kpi", "recommendation", "unit_summary")

# What later periods read from this one; a change of any of it makes them stale: published
# absence, TK runs and predikat; staged violations (baselines), tickets (survey answers), rosters
# and the punches on the next month's first day (night shifts); the working days (SLA days).
_FINGERPRINT = """
select md5(concat_ws('|',
    (select string_agg(concat_ws(',', nip, employment_type, days_absent_unexcused, tk_run_trailing,
                                 predikat), ';' order by nip)
     from mart.employee_scorecard where period = %(period)s),
    (select md5(string_agg(concat_ws(',', area_code, detected_by, occurred_at), ';'
                           order by area_code, occurred_at, detected_by))
     from staging.traffic_violations where run_id = %(run)s),
    (select md5(string_agg(concat_ws(',', ticket_id, officer_nip, unit_code), ';' order by ticket_id))
     from staging.service_tickets where run_id = %(run)s),
    (select md5(string_agg(concat_ws(',', nip, shift_date, shift_start, shift_end), ';'
                           order by nip, shift_date, shift_start))
     from staging.rosters where run_id = %(run)s),
    (select md5(string_agg(concat_ws(',', nip, punched_at), ';' order by nip, punched_at))
     from staging.attendance
     where run_id = %(run)s and punched_at >= (%(last)s::date + 1)::timestamp at time zone 'Asia/Jakarta'),
    (select md5(string_agg(day::text, ';' order by day))
     from intermediate.calendar_day where run_id = %(run)s and is_workday and day >= %(start)s)))
"""


@dataclass
class Published:
    period: str
    run_id: int
    rules_version: str
    stale: list[str] = field(default_factory=list)  # later periods to re-run, in order


def publish(conn, run: Run) -> Published:
    params = model_params(conn, run)
    period = params["period"]
    result = Published(period, run.run_id, params["rules_version"])
    with step("publish"), conn, conn.cursor() as cur:
        cur.execute("select pg_advisory_xact_lock(hashtext('publish'))")
        switch_staging(cur, run)
        record_snapshot(cur)  # the rules stamped below are kept, even if the file changed since the run began
        cur.execute("select fingerprint from meta.published_period where period = %s", (period,))
        before = cur.fetchone()
        for mart in MARTS:
            cur.execute(f"delete from mart.{mart} where period = %s", (period,))
        for mart in MARTS:
            with step(f"publish: mart {mart}"):
                cur.execute(read_sql("marts", f"{mart}.sql"), params)
        pause_point("publishing")  # fault tests: killed here, inside the transaction
        with step("publish: fingerprint"):
            cur.execute(_FINGERPRINT, params)
        fingerprint = cur.fetchone()[0]
        cur.execute(
            """insert into meta.published_period (period, run_id, rules_version, fingerprint, published_at)
               values (%(period)s, %(run)s, %(rules_version)s, %(fp)s, now())
               on conflict (period) do update set run_id = excluded.run_id,
                   rules_version = excluded.rules_version, fingerprint = excluded.fingerprint,
                   published_at = excluded.published_at, stale_since = null, stale_reason = null""",
            {**params, "fp": fingerprint},
        )
        if before is None or before[0] != fingerprint:
            result.stale = _flag_dependents(cur, run, period)
        cur.execute(
            "update meta.run set outcome = 'PUBLISHED', staged_at = finished_at, finished_at = clock_timestamp()"
            " where run_id = %s",
            (run.run_id,),
        )
        # Keep the published run's details (for `kinerja explain`); drop the period's other runs'.
        cur.execute(
            "select distinct substring(c.relname from '__r(\\d+)$')::bigint from pg_class c"
            " join pg_namespace n on n.oid = c.relnamespace"
            " join meta.run r on r.run_id = substring(c.relname from '__r(\\d+)$')::bigint"
            " where n.nspname = 'intermediate' and c.relkind = 'r' and r.period = %s and r.run_id <> %s",
            (period, run.run_id),
        )
        drop_partitions(cur, [row[0] for row in cur.fetchall()])
    return result


def _flag_dependents(cur, run: Run, period: str) -> list[str]:
    """Mark the published later periods that read this one stale; return them in order."""
    horizon = str(run.period.shift(dependent_months()))
    cur.execute(
        """update meta.published_period
           set stale_since = coalesce(stale_since, now()),
               stale_reason = concat_ws('; ', stale_reason,
                   %(period)s || ' was re-published by run ' || %(run)s || ' with different results')
           where period > %(period)s and (period <= %(horizon)s or left(period, 4) = %(year)s)
           returning period""",
        {"period": period, "run": run.run_id, "horizon": horizon, "year": period[:4]},
    )
    return sorted(row[0] for row in cur.fetchall())


def dependent_months() -> int:
    """How many months ahead a period's results are read: the R10 baselines, and at least the
    next month (the R3 TK run, R12 SUPPORT). Within the calendar year every later period also
    reads its absence (R4 year to date)."""
    return max(rules()["hasil_kerja"]["field_officer"]["baseline_months"], 1)

