"""attendance: one row per punch; its local (WIB) date places it in a period, except that a punch
on the 1st of the next month in the check-out window of a shift rostered this period belongs to
this period (domain-rules R2: up to shift_checkout_after_hours of the rules after the shift's end;
an overnight shift ends the next day)."""

from pipelines.expectations.common import (
    Scope, allowed_values, known_employee, local_date, outside_period, required, suite,
)
from pipelines.rules_file import rules


def build(scope: Scope):
    after = float(rules()["schedules"]["shift_checkout_after_hours"])  # a number: the rules file is checked
    checkout_of_shift_this_period = f"""exists (
        select from staging.rosters r
        where r.run_id = {scope.run_id} and r.nip = b.nip
          and {local_date("b.punched_at")} = {scope.next_first_day_sql}
          and r.shift_date between {scope.first_day_sql} and {scope.last_day_sql}
          and b.punched_at >= (r.shift_date + r.shift_start) at time zone 'Asia/Jakarta'
          and b.punched_at <= ((r.shift_date + case when r.shift_end <= r.shift_start then 1 else 0 end)
                               + r.shift_end + interval '1 hour' * {after}) at time zone 'Asia/Jakarta')"""
    return suite(scope, "attendance", [
        *required("attendance"),
        *allowed_values("attendance"),
        outside_period(scope, "punched_at", "b.punched_at", checkout_of_shift_this_period),
        known_employee(scope, "nip"),
    ])
