"""holidays: BKPP's calendar for the period, replacing the national one."""

from pipelines.expectations.common import Scope, required, suite


def build(scope: Scope):
    return suite(scope, "holidays", required("holidays"))
