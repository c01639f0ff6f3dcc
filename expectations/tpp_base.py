"""tpp_base: each employee's TPP base allowance for the month, in Rupiah."""

from pipelines.expectations.common import Scope, known_employee, ranges, required, suite, unique_key


def build(scope: Scope):
    return suite(scope, "tpp_base", [
        *required("tpp_base"),
        *ranges("tpp_base"),
        unique_key("nip"),
        known_employee(scope, "nip"),
    ])
