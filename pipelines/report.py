"""The run summary people read after `kinerja run`: per source, per unit, what was refused and why."""

from __future__ import annotations

from pipelines.ingest import StageResult
from pipelines.rules.columns import sources
from pipelines.rules.coverage import unit_rows

TOP_REASONS = 3


def top_reasons(cur, run_id: int) -> dict[str, list[tuple[str, str, int, str]]]:
    """Per source, its most frequent rejections: (rule, column, rows, one example reason)."""
    cur.execute(
        """select source, rule, coalesce(column_name, '-'), count(distinct (file_no, row_number)),
                  min(reason)
           from meta.rejected_row where run_id = %s
           group by source, rule, column_name order by source, 4 desc, rule""",
        (run_id,),
    )
    result: dict[str, list] = {}
    for source, rule, column, rows, example in cur.fetchall():
        if len(result.setdefault(source, [])) < TOP_REASONS:
            result[source].append((rule, column, rows, example))
    return result


def summary_text(result: StageResult, conn) -> str:
    run = result.run
    out = [f"Kinerja run {run.run_id} for {run.period}: {result.outcome}"]
    if result.message:
        out.append(f"  {result.message}")
    with conn.cursor() as cur:
        reasons = top_reasons(cur, run.run_id)
        per_unit = unit_rows(cur, run.run_id) if result.outcome == "STAGED" else []
        cur.execute(
            "select path, message from meta.landing_notice where run_id = %s order by path",
            (run.run_id,),
        )
        notices = cur.fetchall()
        cur.execute(
            "select unit_code, source, status, reason from meta.source_coverage"
            " where run_id = %s and status <> 'PRESENT' order by unit_code, source",
            (run.run_id,),
        )
        gaps = cur.fetchall()
        cur.execute(
            "select source, rule, severity, unexpected_count from meta.validation_result"
            " where run_id = %s and not success order by source, rule",
            (run.run_id,),
        )
        failed_expectations = cur.fetchall()
        cur.execute("select count(*) from meta.validation_result where run_id = %s", (run.run_id,))
        evaluated = cur.fetchone()[0]

    out.append("")
    out.append(f"{'source':<20}{'files':>6}{'refused':>9}{'rows read':>11}{'loaded':>10}{'rejected':>10}")
    for name in sources():
        files = [f for f in result.files if f.source == name]
        if not files:
            out.append(f"{name:<20}{'-- no file --':>36}")
            continue
        out.append(
            f"{name:<20}{len(files):>6}{sum(f.outcome == 'REJECTED' for f in files):>9}"
            f"{sum(f.rows_read for f in files):>11}{sum(f.rows_loaded for f in files):>10}"
            f"{sum(f.rows_rejected for f in files):>10}"
        )
        for rule, column, rows, example in reasons.get(name, []):
            out.append(f"    {rows} row(s) {rule} [{column}], e.g. {example}")

    refused = [f for f in result.files if f.outcome == "REJECTED"]
    if refused:
        out += ["", "Refused files (nothing of them was loaded; fix and re-run the period):"]
        out += [f"  {f.file_name}: [{f.rule}] {f.message}" for f in refused]
    if notices:
        out += ["", "Notices (nothing rejected):"]
        out += [f"  {path}: {text}" for path, text in notices]
    if evaluated:
        out += ["", f"Expectations (Great Expectations, meta.validation_result): {evaluated} evaluated,"
                    f" {len(failed_expectations)} failed before the rules above rejected their rows"]
        out += [f"  {source:<20} {rule:<22} {severity:<9} {count or 0} row(s)"
                for source, rule, severity, count in failed_expectations]
    if gaps:
        out += ["", "Coverage gaps (ratings that need these sources will be withheld, never read as absence):"]
        out += [f"  {unit:<16} {source:<18} {status:<10} {reason}" for unit, source, status, reason in gaps]
    if per_unit:
        out += ["", "Rows staged per unit:"]
        by_unit: dict[str, list[str]] = {}
        for unit, source, rows in per_unit:
            by_unit.setdefault(unit, []).append(f"{source} {rows}")
        out += [f"  {unit:<16} {', '.join(parts)}" for unit, parts in by_unit.items()]
    out += ["", f"Details: meta.source_file and meta.rejected_row where run_id = {run.run_id}"]
    return "\n".join(out)
