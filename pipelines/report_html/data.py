"""What the report shows, read from the marts (and meta.source_coverage / meta.published_period):
the period's unit summaries and coverage, and per unit the figures of the last published periods."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipelines.export.actions import ACTIONS, KIND_ORDER, UNIT_FIGURES, persistent_gaps
from pipelines.export.published import PublishedPeriod, coverage, published_period, recent_periods
from pipelines.period import Period

TREND_PERIODS = 6

# Dishub: counted violations per assigned day, now and at baseline, averaged over the officers
# who have both (employee_kpi AREA_VIOLATION_CHANGE_PCT: numerator current, denominator baseline).
_FIELD = """
select k.period, s.unit_code, avg(k.numerator) as current_rate, avg(k.denominator) as baseline_rate
from mart.employee_kpi k
join mart.employee_scorecard s using (period, nip)
where k.kpi_code = 'AREA_VIOLATION_CHANGE_PCT' and k.period = any(%(periods)s)
  and k.denominator is not null
group by k.period, s.unit_code
"""

# The funnel plots' counts per unit and role: like is compared with like (a role's ratings follow
# its own rules, R6/R7).
_ROLES = """
select unit_code, role,
       count(rating_perilaku) as perilaku_rated,
       count(*) filter (where rating_perilaku = 'Di Bawah Ekspektasi') as perilaku_below,
       count(predikat) as scored,
       count(*) filter (where predikat = 'Sangat Baik') as sangat_baik
from mart.employee_scorecard
where period = %(period)s
group by unit_code, role
order by role, unit_code
"""


@dataclass
class UnitData:
    code: str
    name: str
    summary: dict  # mart.unit_summary of the period
    trend: dict[str, dict]  # period -> unit_summary row merged with the UNIT_FIGURES averages
    violations: dict[str, dict] = field(default_factory=dict)  # period -> _FIELD row
    coverage: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    actions: dict[str, list[dict]] = field(default_factory=dict)  # kind -> ACTIONS rows, in KIND_ORDER
    gaps: list[tuple[str, int, str]] = field(default_factory=list)  # sources lacking 2+ months in a row

    def series(self, periods: list[str], key: str) -> list:
        return [self.trend.get(p, {}).get(key) for p in periods]

    @property
    def recommendations(self) -> dict[str, int]:
        return {kind: len(rows) for kind, rows in self.actions.items()}

    @property
    def is_service(self) -> bool:
        return any(row.get("tickets_completed") or row.get("service_officers") for row in self.trend.values())

    @property
    def is_field(self) -> bool:
        return any(row.get("field_officers") for row in self.trend.values())


@dataclass
class ReportData:
    published: PublishedPeriod
    periods: list[str]  # the published periods the trends show, oldest first
    units: list[UnitData]
    roles: dict[str, list[dict]] = field(default_factory=dict)  # role -> _ROLES rows, one per unit


def _rows(cur, sql: str, params: dict) -> list[dict]:
    cur.execute(sql, params)
    names = [c.name for c in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def load(conn, period: Period) -> ReportData:
    with conn.cursor() as cur:
        published = published_period(cur, period)
        periods = recent_periods(cur, period, TREND_PERIODS)
        params = {"period": str(period), "periods": periods, "unit": None, "kinds": KIND_ORDER}
        summaries = _rows(cur, "select * from mart.unit_summary where period = any(%(periods)s)", params)
        people = {(r["period"], r["unit_code"]): r for r in _rows(cur, UNIT_FIGURES, params)}
        field_rows = _rows(cur, _FIELD, params)
        actions = _rows(cur, ACTIONS, params)
        roles = _rows(cur, _ROLES, params)
        cover = coverage(cur, period)
        gaps = persistent_gaps(cur, period)
    conn.rollback()

    units: dict[str, UnitData] = {}
    for row in sorted(summaries, key=lambda r: (r["unit_code"], r["period"])):
        row.update(people.get((row["period"], row["unit_code"]), {}))
        if row["period"] == str(period):
            units[row["unit_code"]] = UnitData(row["unit_code"], row["unit_name"] or row["unit_code"], row, {})
    for row in summaries:  # earlier periods of units that still exist in this one
        if row["unit_code"] in units:
            units[row["unit_code"]].trend[row["period"]] = row
    for row in field_rows:
        if row["unit_code"] in units:
            units[row["unit_code"]].violations[row["period"]] = row
    for row in actions:
        units[row["unit_code"]].actions.setdefault(row["kind"], []).append(row)
    for code, unit in units.items():
        unit.coverage = cover.get(code, {})
        unit.gaps = gaps.get(code, [])
    by_role: dict[str, list[dict]] = {}
    for row in roles:
        by_role.setdefault(row["role"], []).append(row)
    return ReportData(published, periods, list(units.values()), by_role)
