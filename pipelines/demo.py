"""`make demo`: run K generated months in order (each staged, scored and published, as
`kinerja run` does) and end with a summary people can read."""

from __future__ import annotations

import argparse
from pathlib import Path

from pipelines.monthly import run_period
from pipelines.period import Period
from pipelines.report import published_text
from pipelines.warehouse import connection


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--landing", required=True)
    parser.add_argument("--period", required=True, help="the last month")
    parser.add_argument("--months", type=int, default=4)
    args = parser.parse_args()
    last = Period.parse(args.period)
    result = None
    for back in range(args.months - 1, -1, -1):
        period = last.shift(-back)
        result = run_period(period, Path(args.landing))
        files = result.staged.files
        print(
            f"kinerja run --period {period}: run {result.published.run_id} published;"
            f" {len(files)} files ({sum(f.outcome == 'REJECTED' for f in files)} refused),"
            f" {sum(f.rows_loaded for f in files):,} rows loaded, {sum(f.rows_rejected for f in files):,} rejected"
        )
    with connection() as conn:
        print(published_text(result.published, conn))
        print(_recommendations(conn, args.months, last))
        cur = conn.cursor()
        cur.execute(
            "select nip from mart.employee_scorecard where period = %s and status = 'SCORED'"
            " order by role desc, nip limit 1",
            (str(last),),
        )
        example = cur.fetchone()
    print(
        "\nWhere to look next (the warehouse is the embedded PostgreSQL in .kinerja/):\n"
        "  mart.employee_scorecard, mart.employee_kpi   every employee's KPIs, ratings, predikat, status_reason\n"
        "  mart.recommendation, mart.unit_summary       training, coaching, rewards; per-unit counts\n"
        "  meta.source_file, meta.rejected_row          every file and every rejected row with its reason\n"
        "  meta.source_coverage                         per unit: sources present, missing, partial, refused\n"
        + (f"  kinerja explain {example[0]} --period {last}   one employee's score, step by step\n" if example else "")
        + f"  kinerja export --period {last} --out demo/hr      one Excel workbook per unit, for HR\n"
        f"  kinerja report --period {last} --out demo/hr --pdf   the monthly report (HTML and PDF)\n"
        + f"  kinerja check {args.landing}/{last}/attendance/<file> --source attendance"
        "   a department's own check of one file\n"
        "README.md, 'Triage of a run', says what to do about each."
    )
    return 0


def _recommendations(conn, months: int, last: Period) -> str:
    with conn.cursor() as cur:
        cur.execute(
            "select kind, code, period, count(*) from mart.recommendation where period > %s"
            " group by 1, 2, 3 order by 1, 2, 3",
            (str(last.shift(-months)),),
        )
        rows = cur.fetchall()
    conn.rollback()
    periods = [str(last.shift(-k)) for k in range(months - 1, -1, -1)]
    counts = {(kind, code): {} for kind, code, _, _ in rows}
    for kind, code, period, n in rows:
        counts[(kind, code)][period] = n
    out = ["", "Recommendations per month (R12):", f"  {'kind / code':<34}" + "".join(f"{p:>9}" for p in periods)]
    out += [f"  {kind + ' / ' + code:<34}" + "".join(f"{by.get(p, 0):>9}" for p in periods)
            for (kind, code), by in counts.items()]
    return "\n".join(out)


if __name__ == "__main__":
    raise SystemExit(main())
