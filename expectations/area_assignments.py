"""area_assignments: which officer covers which area when (a range need only overlap the period)."""

from pipelines.expectations.common import Scope, date_order, known_employee, required, suite


def build(scope: Scope):
    return suite(scope, "area_assignments", [
        *required("area_assignments"),
        date_order("date_to", "date_from"),
        known_employee(scope, "nip"),
    ])
