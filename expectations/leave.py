"""leave: approved excused absence, inclusive date ranges (a range need only overlap the period)."""

from pipelines.expectations.common import (
    Scope, allowed_values, date_order, known_employee, required, suite,
)


def build(scope: Scope):
    return suite(scope, "leave", [
        *required("leave"),
        *allowed_values("leave"),
        date_order("date_to", "date_from"),
        known_employee(scope, "nip"),
    ])
