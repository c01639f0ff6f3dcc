"""The working-day calendar of a period (domain-rules R1): Monday to Friday less national holidays
and cuti bersama, or less the days of a `holidays` extract when one was sent for the period."""

from __future__ import annotations

from datetime import date

from pipelines.load.registry import Run


def period_holidays(conn, run: Run) -> list[date]:
    """The period's holidays: the run's `holidays` extract, else the `holidays` package (ID,
    categories public and government)."""
    with conn, conn.cursor() as cur:
        cur.execute(
            "select distinct holiday_date from staging.holidays where run_id = %s"
            " and holiday_date >= %s and holiday_date < %s order by 1",
            (run.run_id, run.period.first_day, run.period.end_day),
        )
        extract = [row[0] for row in cur.fetchall()]
    if extract:
        return extract
    import holidays  # the default calendar; only needed when no extract replaces it

    national = holidays.country_holidays("ID", categories=("public", "government"), years=run.period.year)
    return sorted(d for d in national if run.period.first_day <= d < run.period.end_day)
