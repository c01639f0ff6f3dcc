"""`kinerja status`: what is published — every period with its run, rules version and publication
time, whether it is stale (and why), and the sources its published run lacked, per unit."""

from __future__ import annotations

from pipelines.errors import UsageError
from pipelines.resources import rules_version

_PERIODS = """
select period, run_id, rules_version, published_at, stale_since, stale_reason
from meta.published_period
order by period
"""

# Per published period and source, the units whose coverage was not PRESENT in the published run.
_GAPS = """
select c.period, c.source, c.status, string_agg(c.unit_code, ', ' order by c.unit_code) as units
from meta.source_coverage c
join meta.published_period p on p.run_id = c.run_id and p.period = c.period
where c.status <> 'PRESENT'
group by c.period, c.source, c.status
order by c.period, c.source, c.status
"""


def status_text(conn) -> str:
    """Raises UsageError (exit 2) when nothing has been published."""
    with conn.cursor() as cur:
        cur.execute(_PERIODS)
        periods = cur.fetchall()
        cur.execute(_GAPS)
        gaps = cur.fetchall()
    conn.rollback()
    if not periods:
        raise UsageError("no period has been published yet; run `kinerja run --period YYYY-MM --landing DIR` first")
    current = rules_version()
    out = [f"Published periods: {len(periods)} (rules now {current})",
           f"  {'period':<8} {'run':>6}  {'rules':<17} {'published (WIB)':<17} state"]
    for period, run, rules, published, stale_since, stale_reason in periods:
        state = "current" if stale_since is None else f"STALE since {stale_since:%Y-%m-%d %H:%M}: {stale_reason}"
        if rules != current:
            state += f"; rules changed since (published with {rules})"
        out.append(f"  {period:<8} {run:>6}  {rules:<17} {published:%Y-%m-%d %H:%M}  {state}")
    stale = [p for p, *_, since, _ in periods if since is not None]
    if stale:
        out.append(f"Re-run in order: {', '.join(stale)} (kinerja run --period P --landing DIR)")
    out.append("Sources not PRESENT in the published runs (unit coverage, meta.source_coverage):")
    out += [f"  {period} {source} {status}: {units}" for period, source, status, units in gaps] or ["  none"]
    return "\n".join(out)
