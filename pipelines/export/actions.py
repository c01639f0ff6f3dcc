"""What HR acts on, shared by the workbook and the report so they cannot disagree: the named
employees behind each recommendation kind, the figures that compare units, and the sources a unit
has lacked for months in a row. Read from the marts and the published runs' meta.source_coverage."""

from __future__ import annotations

from pipelines.period import Period

# The order HR works through them: discipline first, then support, training, and rewards.
KIND_ORDER = ["PEMBINAAN", "SUPPORT", "TRAINING", "REWARD"]
GAP_MONTHS = 2  # a source lacking this many published months in a row is flagged

# One row per recommendation with the employee and the figures behind it. Within a kind the most
# pressing first (TK this year, TPP deduction, lowest IKM), then by name.
ACTIONS = """
select s.unit_code, r.kind, s.nip, s.name, r.code, r.reason, s.days_absent_unexcused, s.late_count,
       s.early_leave_count, s.tpp_deduction_pct, s.unexcused_days_ytd, s.sla_met_rate, s.ikm, s.predikat
from mart.recommendation r
join mart.employee_scorecard s using (period, nip)
where s.period = %(period)s and (%(unit)s::text is null or s.unit_code = %(unit)s)
order by s.unit_code, array_position(%(kinds)s, r.kind), r.code,
         s.unexcused_days_ytd desc nulls last, s.tpp_deduction_pct desc nulls last, s.ikm nulls last,
         s.name, s.nip
"""

# Per unit and period, the employee averages beside mart.unit_summary (nulls, i.e. not measured,
# are left out of every mean).
UNIT_FIGURES = """
select period, unit_code,
       avg(late_count) as late_mean, avg(early_leave_count) as early_mean,
       avg(tpp_deduction_pct) as tpp_mean,
       count(*) filter (where role = 'SERVICE_COUNTER') as service_officers,
       count(*) filter (where role = 'FIELD_OFFICER') as field_officers,
       avg(area_violation_change_pct) as change_mean,
       sum(tpp_deduction_rp) as tpp_deduction_rp, sum(tpp_payable_rp) as tpp_payable_rp
from mart.employee_scorecard
where period = any(%(periods)s)
group by period, unit_code
"""

# Per unit and source, the run of consecutive published months up to the period in which the
# source was not PRESENT (islands: consecutive months share month number minus row number).
_GAPS = """
with gap as (
    select c.unit_code, c.source, c.period,
           left(c.period, 4)::int * 12 + right(c.period, 2)::int as month_no
    from meta.source_coverage c
    join meta.published_period p on p.run_id = c.run_id and p.period = c.period
    where c.period <= %(period)s and c.status <> 'PRESENT'
),
island as (
    select *, month_no - row_number() over (partition by unit_code, source order by month_no) as island
    from gap
)
select unit_code, source, count(*)::int as months, min(period) as since
from island
group by unit_code, source, island
having max(period) = %(period)s and count(*) >= %(months)s
order by unit_code, source
"""


def persistent_gaps(cur, period: Period) -> dict[str, list[tuple[str, int, str]]]:
    """unit -> [(source, months in a row, first month)] for sources lacking GAP_MONTHS or more
    published months in a row, up to and including `period`."""
    cur.execute(_GAPS, {"period": str(period), "months": GAP_MONTHS})
    result: dict[str, list[tuple[str, int, str]]] = {}
    for unit, source, months, since in cur.fetchall():
        result.setdefault(unit, []).append((source, months, since))
    return result


def gap_text(gaps: list[tuple[str, int, str]], labels: dict[str, str]) -> str | None:
    """'presensi 3 bulan berturut sejak 2026-08; …' or None."""
    return "; ".join(f"{labels.get(source, source)} {months} bulan berturut sejak {since}"
                     for source, months, since in gaps) or None

# Units side by side (the city's workbook): mart.unit_summary with the employee averages.
COMPARISON = f"""
select u.unit_code, u.unit_name, u.headcount, u.mean_attendance_rate, f.late_mean, f.early_mean, f.tpp_mean,
       u.sla_met_rate, u.ikm, u.missing_sources
from mart.unit_summary u
left join ({UNIT_FIGURES}) f using (period, unit_code)
where u.period = %(period)s
order by u.unit_code
"""
