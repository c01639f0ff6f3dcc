"""service_surveys: one row per SKM respondent (PermenPANRB 14/2017); u1..u9 answered 1-4 or empty."""

from pipelines.expectations.common import (
    BATCH, Scope, failing_rows, outside_period, ranges, required, suite, unique_key,
)


def build(scope: Scope):
    return suite(scope, "service_surveys", [
        *required("service_surveys"),
        *ranges("service_surveys"),
        unique_key("response_id"),
        outside_period(scope, "submitted_at", "b.submitted_at"),
        failing_rows(
            "UNKNOWN_TICKET", "ticket_id", f"ticket_id is a ticket of {scope.period} or an earlier staged period",
            f"""select b.file_no, b.row_number, b.ticket_id from {BATCH}
                where not exists (select from staging.service_tickets t
                                  where t.run_id = {scope.run_id} and t.ticket_id = b.ticket_id)
                  and not exists (select from staging.service_tickets t
                                  join meta.staged_period using (period, run_id)
                                  where t.period < '{scope.period}' and t.ticket_id = b.ticket_id)""",
        ),
    ])
