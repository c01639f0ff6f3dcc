"""traffic_violations: Dishub records; occurred_at places a violation in a period."""

from pipelines.expectations.common import (
    Scope, allowed_values, known_employee, outside_period, required, suite, unique_key,
)


def build(scope: Scope):
    return suite(scope, "traffic_violations", [
        *required("traffic_violations"),
        *allowed_values("traffic_violations"),
        unique_key("violation_id"),
        outside_period(scope, "occurred_at", "b.occurred_at"),
        known_employee(scope, "officer_nip"),
    ])
