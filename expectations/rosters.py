"""rosters: planned shifts of SHIFT employees; shift_date places a shift in a period."""

from pipelines.expectations.common import Scope, date_in_period, known_employee, required, suite


def build(scope: Scope):
    return suite(scope, "rosters", [
        *required("rosters"),
        date_in_period(scope, "shift_date"),
        known_employee(scope, "nip"),
    ])
