"""service_tickets: completed_at places a ticket in a period (received_at while not completed)."""

from pipelines.expectations.common import (
    BATCH, Scope, allowed_values, date_order, failing_rows, known_employee,
    outside_period, required, required_when, suite, unique_key,
)


def build(scope: Scope):
    done = ("status", "SELESAI")
    return suite(scope, "service_tickets", [
        *required("service_tickets"),
        required_when("officer_nip", done, "status is SELESAI"),
        required_when("completed_at", done, "status is SELESAI"),
        *allowed_values("service_tickets"),
        unique_key("ticket_id"),
        date_order("completed_at", "received_at"),
        outside_period(scope, "completed_at", "coalesce(b.completed_at, b.received_at)"),
        known_employee(scope, "officer_nip"),
        failing_rows(
            "UNKNOWN_SERVICE", "service_code", f"service_code is in the service catalog of {scope.period}",
            f"""select b.file_no, b.row_number, b.service_code from {BATCH}
                where not exists (select from staging.service_catalog c
                                  where c.run_id = {scope.run_id} and c.service_code = b.service_code)""",
        ),
    ])
