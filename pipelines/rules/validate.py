"""Validate a run's staged rows once every file is loaded: the set-level row rules, then the
file thresholds of R13, employees first (their refusal decides which rows of other sources are rejected
only because of it). One transaction: either all of it applies or none."""

from __future__ import annotations

from pipelines.load.registry import Run
from pipelines.rules import set_rules
from pipelines.rules.columns import sources


def validate_run(
    conn, run: Run, *, period_rules: bool, history: bool, references_optional: bool,
    keep_refused_rows: bool = False,
) -> list[tuple[str, str]]:
    """Apply the set rules; returns the rules not checked, with why."""
    period = run.period
    params = set_rules.set_rule_params(run.run_id, period)
    not_checked: list[tuple[str, str]] = []
    with conn, conn.cursor() as cur:
        cur.execute("create temp table refused_employee_nip (nip text, file_name text) on commit drop")

        for rule in set_rules.EMPLOYEE_RULES:
            set_rules.apply_rule(cur, rule, params)
        for file_no, rule, detail in set_rules.file_thresholds(cur, params, {"employees"}):
            cur.execute(
                "insert into refused_employee_nip select s.nip, f.file_name from staging.employees s"
                " join meta.source_file f on f.run_id = s.run_id and f.file_no = s.file_no"
                " where s.run_id = %(run)s and s.file_no = %(file_no)s",
                {**params, "file_no": file_no},
            )
            set_rules.refuse_file(cur, params, file_no, "employees", rule, detail, keep_refused_rows)

        present = _sources_with_rows(cur, run.run_id)
        for rule in set_rules.RULES:
            why = _why_not_checked(rule, present, period_rules, history, references_optional)
            if why:
                if (rule.code, why) not in not_checked:
                    not_checked.append((rule.code, why))
                continue
            set_rules.apply_rule(cur, rule, params)
        others = set(sources()) - {"employees"}
        for file_no, rule, detail in set_rules.file_thresholds(cur, params, others):
            cur.execute("select source from meta.source_file where run_id = %s and file_no = %s", (run.run_id, file_no))
            set_rules.refuse_file(cur, params, file_no, cur.fetchone()[0], rule, detail, keep_refused_rows)
        set_rules.recount_files(cur, params)
    return not_checked


def _sources_with_rows(cur, run_id: int) -> set[str]:
    present = set()
    for name in sources():
        cur.execute(f"select exists (select from staging.{name} where run_id = %s)", (run_id,))
        if cur.fetchone()[0]:
            present.add(name)
    return present


def _why_not_checked(rule, present: set[str], period_rules: bool, history: bool, references_optional: bool) -> str | None:
    if rule.period_rule and not period_rules:
        return "the period is not known"
    if rule.code == "UNKNOWN_TICKET" and not history:
        return "tickets of earlier periods are not available"
    if rule.needs and rule.needs not in present and references_optional:
        return f"no {rule.needs} rows to compare with"
    return None
