"""service_catalog: the services of the period and their SLA in working days."""

from pipelines.expectations.common import Scope, ranges, required, suite, unique_key


def build(scope: Scope):
    return suite(scope, "service_catalog", [
        *required("service_catalog"),
        *ranges("service_catalog"),
        unique_key("service_code"),
    ])
