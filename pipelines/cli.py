"""The `kinerja` command (contracts.md §4). Exit status: 0 done, 2 usage, 3 data refused, 4 fault."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from pipelines.errors import KinerjaError
from pipelines.period import Period


def _cmd_run(args: argparse.Namespace) -> int:
    from pipelines.errors import DataRefused
    from pipelines.monthly import run_period
    from pipelines.report import published_text, summary_text
    from pipelines.warehouse import connection

    period = Period.parse(args.period)
    try:
        result = run_period(period, Path(args.landing))
    except DataRefused as refused:
        print(f"kinerja run {period}: REFUSED — {refused}\nThe published results are unchanged.",
              file=sys.stderr)
        return refused.exit_code
    with connection() as conn:
        print(summary_text(result.staged, conn))
        print(published_text(result.published, conn))
    return 0


def _cmd_backfill(args: argparse.Namespace) -> int:
    from pipelines.backfill import backfill

    return backfill(Period.parse(args.first), Period.parse(args.last), Path(args.landing))


def _cmd_explain(args: argparse.Namespace) -> int:
    from pipelines.explain import explain_text
    from pipelines.warehouse import connection

    period = Period.parse(args.period)
    with connection() as conn:
        if args.html or args.pdf:
            from pipelines.report_html.slip import write_slip

            for path in write_slip(conn, args.nip, period, args.html and Path(args.html), args.pdf and Path(args.pdf)):
                print(path)
        else:
            print(explain_text(conn, args.nip, period))
    return 0


def _cmd_status(args: argparse.Namespace) -> int:
    from pipelines.status import status_text
    from pipelines.warehouse import connection

    with connection() as conn:
        print(status_text(conn))
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from pipelines.check import check_command

    return check_command(
        args.file, args.source, period=args.period, reference=args.reference, lang=args.lang
    )


def _cmd_export(args: argparse.Namespace) -> int:
    from pipelines.export.workbook import export_period
    from pipelines.warehouse import connection

    period = Period.parse(args.period)
    with connection() as conn:
        done = export_period(conn, period, Path(args.out), unit=args.unit, city=args.city, fmt=args.format)
    for written in done.files:
        print(f"{written.path}: " + ", ".join(f"{sheet} {rows}" for sheet, rows in written.rows.items()))
    if done.published.stale_since is not None:
        print(f"kinerja export: {period} is STALE — {done.published.stale_reason}; re-run"
              f" `kinerja run --period {period}` and export again", file=sys.stderr)
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from pipelines.report_html.browser import print_pdf
    from pipelines.report_html.build import build_report
    from pipelines.warehouse import connection

    period = Period.parse(args.period)
    with connection() as conn:
        path = build_report(conn, period, Path(args.out))
    print(path)
    if args.pdf:
        pdf = path.with_suffix(".pdf")
        print_pdf(path, pdf)
        print(pdf)
    return 0


def _cmd_generate(args: argparse.Namespace) -> int:
    from pipelines.generate import generate

    period = Period.parse(args.period)
    summary = generate(
        str(period), Path(args.out), months=args.months, employees=args.employees,
        seed=args.seed, faults=args.faults,
    )
    print(summary)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kinerja",
        description="Monthly ASN performance KPIs from department extracts (see README.md).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="load, validate, score and publish one period (idempotent)")
    run.add_argument("--period", required=True, help="the month, YYYY-MM")
    run.add_argument("--landing", required=True, help="landing folder holding <YYYY-MM>/<source>/ files")
    run.set_defaults(handler=_cmd_run)

    back = commands.add_parser(
        "backfill", help="run and publish a range of periods in order, oldest first (stops at a refusal)"
    )
    back.add_argument("--from", dest="first", required=True, help="the first month, YYYY-MM")
    back.add_argument("--to", dest="last", required=True, help="the last month, YYYY-MM")
    back.add_argument("--landing", required=True, help="landing folder holding <YYYY-MM>/<source>/ files")
    back.set_defaults(handler=_cmd_backfill)

    check = commands.add_parser(
        "check", help="check one department file before sending it: a readable report, nothing kept"
    )
    check.add_argument("file", metavar="FILE", help="the .csv or .xlsx file to check")
    check.add_argument("--source", required=True, help="what the file holds: employees, attendance, ...")
    check.add_argument("--period", help="the month, YYYY-MM (default: from the file's landing folder)")
    check.add_argument(
        "--reference", metavar="DIR",
        help="landing folder (or one month's folder) whose other sources the rules compare with",
    )
    check.add_argument("--lang", default="id", help="language of the report: id (default) or en")
    check.set_defaults(handler=_cmd_check)

    explain = commands.add_parser(
        "explain", help="one employee's score breakdown: each KPI, its inputs, the rule, the files"
    )
    explain.add_argument("nip", metavar="NIP", help="the employee's 18-digit NIP")
    explain.add_argument("--period", required=True, help="the month, YYYY-MM")
    explain.add_argument("--html", metavar="FILE", help="write a one-page slip to hand over, as HTML")
    explain.add_argument("--pdf", metavar="FILE", help="the same slip as PDF (needs Chromium)")
    explain.set_defaults(handler=_cmd_explain)

    status = commands.add_parser(
        "status", help="the published periods: run, rules version, stale flags, missing sources"
    )
    status.set_defaults(handler=_cmd_status)

    export = commands.add_parser(
        "export", help="HR workbooks of a published period: one per unit (or the city), in Indonesian"
    )
    export.add_argument("--period", required=True, help="the month, YYYY-MM")
    export.add_argument("--out", required=True, help="folder to write into")
    which = export.add_mutually_exclusive_group()
    which.add_argument("--unit", help="only this unit's workbook (default: one per unit)")
    which.add_argument("--city", action="store_true", help="one workbook for the whole city")
    export.add_argument("--format", choices=("xlsx", "csv"), default="xlsx",
                        help="xlsx (default), or csv: a folder of CSV files per workbook")
    export.set_defaults(handler=_cmd_export)

    report = commands.add_parser(
        "report", help="the monthly report of a published period: one self-contained HTML file"
    )
    report.add_argument("--period", required=True, help="the month, YYYY-MM")
    report.add_argument("--out", required=True, help="folder to write into")
    report.add_argument("--pdf", action="store_true", help="also print it to PDF (needs Chromium)")
    report.set_defaults(handler=_cmd_report)

    gen = commands.add_parser("generate", help="write realistic synthetic extracts")
    gen.add_argument("--period", required=True, help="the last month to write, YYYY-MM")
    gen.add_argument("--out", required=True, help="landing folder to write into")
    gen.add_argument("--months", type=int, default=1, help="consecutive months ending at --period")
    gen.add_argument("--employees", type=int, default=600, help="city headcount (default 600)")
    gen.add_argument("--seed", type=int, default=1, help="random seed (same seed, same files)")
    gen.add_argument("--faults", action="store_true", help="plant each kind of bad input (last month)")
    gen.set_defaults(handler=_cmd_generate)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except KinerjaError as exc:
        print(f"kinerja {args.command}: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # the reader of our output went away (`| head`): not a fault
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print(f"kinerja {args.command}: interrupted", file=sys.stderr)
        return 4
    except Exception as exc:  # contracts §4: never a bare traceback as the only message
        print(
            f"kinerja {args.command}: unexpected fault: {type(exc).__name__}: {exc}\n"
            "Nothing half-written was published. Re-run with KINERJA_DEBUG=1 for the traceback, "
            "and report it with the command you ran.",
            file=sys.stderr,
        )
        if os.environ.get("KINERJA_DEBUG") == "1":
            raise
        return 4
