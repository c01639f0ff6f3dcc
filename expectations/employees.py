"""employees: BKPP master data, one row per employee active at any time in the period."""

from pipelines.expectations.common import Scope, allowed_values, date_order, required, suite, unique_key


def build(scope: Scope):
    return suite(scope, "employees", [
        *required("employees"),
        *allowed_values("employees"),
        unique_key("nip"),
        date_order("active_to", "active_from"),
    ])
