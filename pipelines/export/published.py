"""What HR outputs need to know about a published period: its run, rules version and staleness,
the units it holds, and the published periods before it. Reads meta.published_period and the marts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pipelines.errors import UsageError
from pipelines.period import Period


@dataclass(frozen=True)
class PublishedPeriod:
    period: str
    run_id: int
    rules_version: str
    published_at: datetime
    stale_since: datetime | None
    stale_reason: str | None

    def status_text(self) -> str:
        """The period's status in Indonesian, for the top of every output."""
        if self.stale_since is None:
            return f"terbit {self.published_at:%Y-%m-%d %H:%M} WIB"
        return (f"USANG sejak {self.stale_since:%Y-%m-%d %H:%M} WIB: {self.stale_reason}; "
                f"jalankan ulang `kinerja run --period {self.period}`")


def published_period(cur, period: Period) -> PublishedPeriod:
    cur.execute(
        "select period, run_id, rules_version, published_at, stale_since, stale_reason"
        " from meta.published_period where period = %s",
        (str(period),),
    )
    row = cur.fetchone()
    if row is None:
        cur.execute("select string_agg(period, ', ' order by period) from meta.published_period")
        published = cur.fetchone()[0]
        raise UsageError(f"{period} has not been published; run `kinerja run --period {period}` first"
                         + (f" (published: {published})" if published else ""))
    return PublishedPeriod(*row)


def unit_codes(cur, period: Period) -> list[str]:
    cur.execute("select unit_code from mart.unit_summary where period = %s order by unit_code", (str(period),))
    return [code for (code,) in cur.fetchall()]


def recent_periods(cur, period: Period, count: int) -> list[str]:
    """The last `count` published periods up to and including `period`, oldest first."""
    cur.execute(
        "select period from meta.published_period where period <= %s order by period desc limit %s",
        (str(period), count),
    )
    return sorted(p for (p,) in cur.fetchall())


def coverage(cur, period: Period) -> dict[str, dict[str, tuple[str, str | None]]]:
    """unit -> source -> (status, reason) of the published run (meta.source_coverage)."""
    cur.execute(
        "select c.unit_code, c.source, c.status, c.reason from meta.source_coverage c"
        " join meta.published_period p on p.run_id = c.run_id and p.period = c.period"
        " where p.period = %s",
        (str(period),),
    )
    result: dict[str, dict[str, tuple[str, str | None]]] = {}
    for unit, source, status, reason in cur.fetchall():
        result.setdefault(unit, {})[source] = (status, reason)
    return result
