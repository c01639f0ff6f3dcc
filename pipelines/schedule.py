"""When the monthly Airflow run happens and what it waits for.

The period of a run comes from its data interval, taken in Asia/Jakarta, or from the `period`
param — never from the clock, so a retry, a manual run and a backfill all process the month they
were made for. Each source has an absolute deadline per period (by default the 4th of the month
after it, 23:59 WIB): a source without a file by then is LATE, so a run of a past period never
waits. No database and no heavy imports: the DAG file imports this module when it is parsed.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from pipelines.errors import UsageError
from pipelines.export.labels import SOURCE_NAMES
from pipelines.land.discover import READABLE
from pipelines.period import WIB, Period

DEFAULT_DEADLINE = "4 23:59"  # day of the month after the period, and WIB time
# Days 1-28: every month has them, so one setting means the same in February.
_DEADLINE = re.compile(r"^([1-9]|1[0-9]|2[0-8]) ([01][0-9]|2[0-3]):([0-5][0-9])$")
DEADLINE_PATTERN = _DEADLINE.pattern
ARRIVED, LATE = "ARRIVED", "LATE"


def period_of_run(param: str | None, data_interval_start: datetime | None) -> Period:
    """The period a run processes: the `period` param when given, else the month (in WIB) in
    which the run's data interval starts. A scheduled run of 1 November 06:00 WIB has the
    interval [1 October 06:00, 1 November 06:00) WIB: October; in UTC it would start on
    30 September."""
    if param:
        return Period.parse(param)
    if data_interval_start is None:
        raise UsageError('this run has no data interval: trigger it with the period, e.g. {"period": "2026-10"}')
    local = data_interval_start.astimezone(WIB)
    return Period(local.year, local.month)


def deadline(period: Period, spec: str = DEFAULT_DEADLINE) -> datetime:
    """The absolute deadline of `spec` ("D HH:MM": day of the month after the period, WIB)."""
    match = _DEADLINE.match(spec or "")
    if not match:
        raise UsageError(f"deadline {spec!r} is not 'D HH:MM' (day 1-28 of the month after the period, WIB)")
    month = period.shift(1)
    return datetime(month.year, month.month, int(match[1]), int(match[2]), int(match[3]), tzinfo=WIB)


def deadlines(period: Period, sources: list[str], default: str = DEFAULT_DEADLINE,
              overrides: dict[str, str] | None = None) -> dict[str, datetime]:
    """Each source's deadline: its override, else the default."""
    overrides = overrides or {}
    unknown = sorted(set(overrides) - set(sources))
    if unknown:
        raise UsageError(f"deadline given for sources not waited for: {', '.join(unknown)}")
    return {source: deadline(period, overrides.get(source, default)) for source in sources}


def has_file(landing: Path, period: Period, source: str) -> bool:
    """Whether the source's landing folder holds a file the run would read (not a hidden file or
    a spreadsheet's lock file)."""
    folder = landing / str(period) / source
    if not folder.is_dir():
        return False
    return any(
        p.is_file() and p.suffix.lower() in READABLE and not p.name.startswith((".", "~$"))
        for p in folder.iterdir()
    )


def arrival(landing: Path, period: Period, source: str, due: datetime, now: datetime) -> str | None:
    """ARRIVED once the source has a file, LATE once its deadline has passed without one, else
    None (keep waiting)."""
    if has_file(landing, period, source):
        return ARRIVED
    return LATE if now >= due else None


def late_reason(source: str, due: datetime) -> str:
    """The coverage reason of a LATE source (names the deadline and what to do)."""
    return (f"berkas {SOURCE_NAMES.get(source, source)} belum diterima sampai batas waktu"
            f" {due.astimezone(WIB):%Y-%m-%d %H:%M} WIB; jalankan ulang periode ini setelah berkasnya tiba")
