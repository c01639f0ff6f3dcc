"""`make demo`: stage K generated months in order and print what a data engineer would look at."""

from __future__ import annotations

import argparse
from pathlib import Path

from pipelines.cli import main as kinerja
from pipelines.period import Period


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--landing", required=True)
    parser.add_argument("--period", required=True, help="the last month")
    parser.add_argument("--months", type=int, default=1)
    args = parser.parse_args()
    last = Period.parse(args.period)
    for back in range(args.months - 1, -1, -1):
        period = last.shift(-back)
        print(f"\n=== kinerja run --period {period} --landing {args.landing}")
        status = kinerja(["run", "--period", str(period), "--landing", str(Path(args.landing))])
        if status != 0:
            return status
    print(
        "\nWhere to look next (the warehouse is the embedded PostgreSQL in .kinerja/):\n"
        "  meta.source_file, meta.rejected_row  every file and every rejected row with its reason\n"
        "  meta.source_coverage                  per unit: sources present, missing, partial, refused\n"
        "  meta.validation_result                every Great Expectations result\n"
        "  staging.*                             the typed rows of each period\n"
        f"  kinerja check {args.landing}/{last}/attendance/<file> --source attendance"
        "   a department's own check of one file\n"
        "README.md, 'Triage of a run', says what to do about each."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
