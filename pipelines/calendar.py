"""The working-day calendar (domain-rules R1): Monday to Friday less national holidays and cuti
bersama, or less the days of a `holidays` extract when one was sent for the period; and the REGULAR
hours of each working day (config/rules.yml: per weekday, Ramadan ranges, per-unit hours)."""

from __future__ import annotations

from datetime import date, time, timedelta

from pipelines.load.registry import Run
from pipelines.period import Period
from pipelines.rules_file import rules as read_rules


def holidays_of(conn, period: Period, run_id: int | None) -> dict[date, str]:
    """The period's holidays: the `holidays` extract staged by `run_id`, else the `holidays`
    package (country and categories from config/rules.yml)."""
    if run_id is not None:
        with conn.cursor() as cur:
            cur.execute(
                "select holiday_date, min(coalesce(description, 'libur (extract holidays)'))"
                " from staging.holidays where run_id = %s and holiday_date >= %s and holiday_date < %s"
                " group by 1 order by 1",
                (run_id, period.first_day, period.end_day),
            )
            extract = dict(cur.fetchall())
        if extract:
            return extract
    import holidays  # the default calendar; only needed when no extract replaces it

    rules = read_rules()["calendar"]
    national = holidays.country_holidays(
        rules["holidays_country"], categories=tuple(rules["holidays_categories"]), years=period.year
    )
    return {d: name for d, name in sorted(national.items()) if period.first_day <= d < period.end_day}


def period_holidays(conn, run: Run) -> list[date]:
    """The run's period holidays (its own extract, else the package)."""
    return sorted(holidays_of(conn, run.period, run.run_id))


def materialise(conn, run: Run) -> None:
    """Write intermediate.calendar_day (from the earliest day a ticket completed in the period was
    received, so R9 can count working days back) and intermediate.schedule_day for the run.
    Earlier months use their own staged `holidays` extract when they had one."""
    with conn.cursor() as cur:
        cur.execute(
            "select min((received_at at time zone 'Asia/Jakarta')::date) from staging.service_tickets"
            " where run_id = %s and status = 'SELESAI'",
            (run.run_id,),
        )
        earliest = min(filter(None, [cur.fetchone()[0], run.period.first_day]))
        cur.execute("select period, run_id from meta.staged_period")
        staged = dict(cur.fetchall())
    days: list[tuple] = []
    month = Period(earliest.year, earliest.month)
    workday_no = 0
    while month <= run.period:
        run_id = run.run_id if month == run.period else staged.get(str(month))
        holidays = holidays_of(conn, month, run_id)
        day = max(month.first_day, earliest)
        while day < month.end_day:
            workday = day.isoweekday() <= 5 and day not in holidays
            workday_no += workday
            days.append((run.run_id, day, workday, holidays.get(day), workday_no))
            day += timedelta(days=1)
        month = month.shift(1)
    with conn.cursor() as cur:
        cur.executemany("insert into intermediate.calendar_day values (%s, %s, %s, %s, %s)", days)
        cur.executemany(
            "insert into intermediate.schedule_day values (%s, %s, %s, %s, %s)",
            [
                (run.run_id, unit, day, start, end)
                for _, day, workday, _, _ in days
                if workday and day >= run.period.first_day
                for unit, (start, end) in regular_hours(day).items()
            ],
        )


def regular_hours(day: date) -> dict[str, tuple[time, time]]:
    """REGULAR hours on a working day: '*' for every unit, plus units with their own hours.
    Ramadan ranges replace both."""
    rules = read_rules()["schedules"]
    for ramadan in rules["ramadan"]:
        if ramadan["date_from"] <= day <= ramadan["date_to"]:
            end = ramadan["friday_end"] if day.isoweekday() == 5 else ramadan["end"]
            return {"*": (_time(ramadan["start"]), _time(end))}
    regular = rules["regular"]
    hours = {"*": regular["default"][day.isoweekday()]}
    hours.update({unit: weekly[day.isoweekday()] for unit, weekly in (regular["units"] or {}).items()})
    return {unit: (_time(h["start"]), _time(h["end"])) for unit, h in hours.items()}


def _time(text: str) -> time:
    return time.fromisoformat(text)
