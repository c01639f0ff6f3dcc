"""The run summary people read after `kinerja run`: per source, per unit, what was refused and why."""

from __future__ import annotations

from pipelines.ingest import StageResult
from pipelines.publish.publish_period import Published
from pipelines.rules.columns import sources
from pipelines.rules.coverage import PARTLY_REFUSED, refused_file_holders, unit_rows

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


NO_UNIT = "no unit's coverage depends on it: it names no unit or employee (empty, unreadable, no NIP in it)"


def refused_file_units(cur, run_id: int) -> dict[int, str]:
    """Per refused file that names units: whom it concerns, in words."""
    return {
        file_no: f"held rows of {', '.join(units)}" + (f" ({employees} employee(s))" if employees else "")
        + "; a unit with no other rows of the source is REFUSED, else only these employees are withheld"
        for file_no, (units, employees) in refused_file_holders(cur, run_id).items()
    }


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
            "select unit_code, source, reason from meta.source_coverage"
            " where run_id = %s and status = 'PRESENT' and starts_with(reason, %s) order by unit_code, source",
            (run.run_id, PARTLY_REFUSED),
        )
        partly = cur.fetchall()
        held = refused_file_units(cur, run.run_id)
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
        out += [f"  {f.file_name}: [{f.rule}] {f.message}\n    {held.get(f.file_no, NO_UNIT)}" for f in refused]
    if notices:
        out += ["", "Notices (nothing rejected):"]
        out += [f"  {path}: {text}" for path, text in notices]
    if evaluated:
        out += ["", f"Expectations (Great Expectations, meta.validation_result): {evaluated} evaluated,"
                    f" {len(failed_expectations)} failed before the rules above rejected their rows"]
        out += [f"  {source:<20} {rule:<22} {severity:<9} {count or 0} row(s)"
                for source, rule, severity, count in failed_expectations]
    late: dict[str, list[str]] = {}  # source -> reasons of its LATE units
    for _, source, status, reason in gaps:
        if status == "LATE":
            late.setdefault(source, []).append(reason)
    if late:
        out += ["", "Late extracts (their deadline passed without a file; the run went on without them):"]
        out += [f"  {source:<20} {len(reasons)} unit(s) LATE: {min(reasons)}" for source, reasons in sorted(late.items())]
    if gaps:
        out += ["", "Coverage gaps (ratings that need these sources will be withheld, never read as absence):"]
        out += [f"  {unit:<16} {source:<18} {status:<10} {reason}" for unit, source, status, reason in gaps]
    if partly:
        out += ["", "Rated with some rows refused (the unit is rated; the employees whose rows were refused"
                    " are not rated on that source):"]
        out += [f"  {unit:<16} {source:<18} {reason}" for unit, source, reason in partly]
    if per_unit:
        out += ["", "Rows staged per unit:"]
        by_unit: dict[str, list[str]] = {}
        for unit, source, rows in per_unit:
            by_unit.setdefault(unit, []).append(f"{source} {rows}")
        out += [f"  {unit:<16} {', '.join(parts)}" for unit, parts in by_unit.items()]
    out += ["", f"Details: meta.source_file and meta.rejected_row where run_id = {run.run_id}"]
    return "\n".join(out)


PREDIKAT = ("Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang/Misconduct", "Sangat Kurang")


def published_text(published: Published, conn) -> str:
    """What was published: status and predikat counts per unit, why ratings were withheld, and
    later periods that must be re-run."""
    with conn.cursor() as cur:
        cur.execute(
            """select unit_code, headcount, scored, partial, insufficient_data, sangat_baik, baik,
                      butuh_perbaikan, kurang_misconduct, sangat_kurang, missing_sources
               from mart.unit_summary where period = %s order by unit_code""",
            (published.period,),
        )
        units = cur.fetchall()
        # Reasons without their unit codes and figures, so like counts with like.
        cur.execute(
            """select rating, regexp_replace(regexp_replace(reason, 'unit \\S+ ', 'unit … '),
                                             '\\d+', 'N', 'g'), count(*)
               from intermediate.scorecard
               cross join lateral (values ('perilaku', rating_perilaku_reason),
                                          ('hasil kerja', rating_hasil_kerja_reason)) r(rating, reason)
               where run_id = %s and reason is not null
               group by 1, 2 order by 3 desc limit 10""",
            (published.run_id,),
        )
        withheld = cur.fetchall()
        cur.execute("select count(*) from mart.recommendation where period = %s", (published.period,))
        recommendations = cur.fetchone()[0]
    conn.rollback()
    short = ("SB", "B", "BP", "K/M", "SK")
    out = ["", f"Published {published.period} (run {published.run_id}, {published.rules_version})"
               " to mart.employee_scorecard, employee_kpi, recommendation, unit_summary:"]
    out.append(f"  {'unit':<16}{'staff':>6}{'SCORED':>8}{'PARTIAL':>8}{'NO DATA':>8}  "
               + " ".join(f"{s:>4}" for s in short) + "  sources missing")
    for unit, staff, scored, partial, none, *counts, missing in units:
        out.append(f"  {unit:<16}{staff:>6}{scored:>8}{partial:>8}{none:>8}  "
                   + " ".join(f"{c:>4}" for c in counts) + f"  {missing or '-'}")
    out.append("  predikat: " + ", ".join(f"{s} = {p}" for s, p in zip(short, PREDIKAT)))
    if withheld:
        out += ["", "Why ratings were not given (most frequent first; details in status_reason):"]
        out += [f"  {n:>6}  rating {rating}: {why}" for rating, why, n in withheld]
    out += ["", f"Recommendations: {recommendations} (mart.recommendation)"]
    if published.stale:
        out += ["", f"STALE: {', '.join(published.stale)} read results of {published.period}, which changed."
                    " Re-run them in order:"]
        out += [f"  kinerja run --period {p} --landing <landing>" for p in published.stale]
    return "\n".join(out)
