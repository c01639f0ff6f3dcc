"""`kinerja backfill --from YYYY-MM --to YYYY-MM --landing DIR`: a range of periods without Airflow.

Periods run one at a time, oldest first — each reads the ones before it (year-to-date absence, the
TK run and predikat of the month before, violation baselines) — with exactly what `kinerja run`
does for each. A refused period stops the backfill: the later ones would read a month that is
not there.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pipelines.errors import DataRefused, UsageError
from pipelines.period import Period
from pipelines.progress import progress


def periods_between(first: Period, last: Period) -> list[Period]:
    if last < first:
        raise UsageError(f"--to {last} is before --from {first}")
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    return [first.shift(i) for i in range(count)]


def backfill(first: Period, last: Period, landing: Path) -> int:
    """Run and publish every period from `first` to `last`; returns the exit status."""
    from pipelines.monthly import run_period
    from pipelines.report import published_text, summary_text
    from pipelines.warehouse import connection

    periods = periods_between(first, last)
    # Every folder is checked first: a gap found half-way would leave the later periods unrun.
    missing = [str(p) for p in periods if not (landing / str(p)).is_dir()]
    if not landing.is_dir() or missing:
        raise UsageError(f"landing folder {landing} has no folder for {', '.join(missing) or 'any period'}")
    with progress(f"backfill {first}..{last}", len(periods)) as bar:
        for done, period in enumerate(periods):
            rest = periods[done + 1:]
            try:
                result = run_period(period, landing)
                bar.step(str(period))
            except DataRefused as refused:
                print(f"kinerja backfill {period}: REFUSED — {refused}\nThe published results of {period} are unchanged.",
                      file=sys.stderr)
                _not_run(period, rest, last, landing)
                return refused.exit_code
            except Exception:
                _not_run(period, rest, last, landing)
                raise
            with connection() as conn:
                print(summary_text(result.staged, conn))
                print(published_text(result.published, conn))
            print()
    print(f"Backfill {first} to {last}: {len(periods)} period(s) published, oldest first.")
    return 0


def _not_run(period: Period, rest: list[Period], last: Period, landing: Path) -> None:
    if rest:
        print(f"Not run, since they read {period}: {', '.join(map(str, rest))}. When it is fixed, resume with\n"
              f"  kinerja backfill --from {period} --to {last} --landing {landing}", file=sys.stderr)
