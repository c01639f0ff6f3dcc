"""skp_ratings: supervisor ratings (SKP); a row rates the period's month, or each month of its quarter."""

from pipelines.expectations.common import (
    BATCH, Scope, allowed_values, failing_rows, known_employee, required, suite, unique_key,
)


def build(scope: Scope):
    period = str(scope.period)
    quarter = f"{scope.period.year}-Q{(scope.period.month + 2) // 3}"
    return suite(scope, "skp_ratings", [
        *required("skp_ratings"),
        *allowed_values("skp_ratings"),
        unique_key("nip"),
        failing_rows(
            "OUTSIDE_PERIOD", "rating_period", f"rating_period is {period} or {quarter}",
            f"""select b.file_no, b.row_number, b.rating_period from {BATCH}
                where b.rating_period not in ('{period}', '{quarter}')""",
        ),
        known_employee(scope, "nip"),
        known_employee(scope, "evaluator_nip"),
        failing_rows(
            "SELF_RATING", "evaluator_nip", "the evaluator is not the rated employee",
            f"select b.file_no, b.row_number, b.evaluator_nip from {BATCH} where b.evaluator_nip = b.nip",
        ),
    ])
