"""Great Expectations suites on the staged batch: a suite per source tagged with catalog rules, and
what they record in meta.validation_result for hand-made and generated months.

The suites run where the pipeline runs them: once every file is loaded, before the set rules move
failing rows out of staging (the `stage` fixture puts them there). GX is imported once per test
process (about 3 s).
"""

from importlib import import_module

import pytest

from pipelines.errors import KinerjaError
from pipelines.generate import generate
from pipelines.monthly import run_period
from pipelines.period import Period
from pipelines.rules.catalog import RULES, severity
from pipelines.rules.columns import sources
from pipelines.rules.gx_validation import sqlalchemy_url, validate_staged
from tests.helpers import PNS_1, PNS_2, clean_employees, employee_row, query, write, write_employees

P = "2026-10"


@pytest.fixture
def stage(warehouse_url):
    return lambda landing, period=P: run_period(Period.parse(period), landing).staged.run


def results(db, run_id, where="true"):
    return query(
        db,
        "select source, expectation, rule, severity, success, unexpected_count, element_count"
        f" from meta.validation_result where run_id = %s and {where} order by source, expectation",
        (run_id,),
    )


def failed(db, run_id):
    return results(db, run_id, "not success")


def build(source, period=P, run_id=1):
    from pipelines.expectations.common import Scope

    return import_module(f"pipelines.expectations.{source}").build(Scope(run_id, Period.parse(period)))


def test_a_suite_for_every_source_each_expectation_tagged_with_a_catalog_rule():
    for name, source in sources().items():
        suite = build(name)
        assert suite.name == name and suite.expectations, name
        for expectation in suite.expectations:
            rule = expectation.meta["rule"]
            assert rule in RULES, (name, rule)
            assert expectation.meta["severity"] == severity(rule)
        not_null = {e.column for e in suite.expectations
                    if e.type == "expect_column_values_to_not_be_null" and e.row_condition is None}
        assert not_null == {c.name for c in source.columns if c.required}, name
    rules = {name: {e.meta["rule"] for e in build(name).expectations} for name in sources()}
    assert {"DUPLICATE_KEY", "OUTSIDE_PERIOD", "DATE_ORDER", "UNKNOWN_EMPLOYEE", "UNKNOWN_SERVICE"} <= rules["service_tickets"]
    assert "UNKNOWN_TICKET" in rules["service_surveys"] and "RANGE" in rules["service_catalog"]


def _punches(nip, days, at="07:25"):
    return [f"{nip},2026-10-{d:02d} {at},IN" for d in days]


def test_duplicate_ticket_and_punch_outside_the_period_fail_with_their_counts(db, landing, stage):
    nurse = f"{PNS_2},Sari,RSUD,PNS,FUNGSIONAL,OFFICE,SHIFT,2020-01-01,"
    write_employees(landing, P, employee_row(PNS_1), nurse)
    write(landing, P, "rosters", "rsud.csv", f"nip,shift_date,shift_start,shift_end\n{PNS_2},2026-10-31,22:00,06:00\n")
    write(landing, P, "attendance", "presensi.csv", "\n".join([
        "nip,punched_at,direction",
        *_punches(PNS_1, range(1, 31)),
        *_punches(PNS_2, range(1, 31), at="21:55"),
        f"{PNS_1},2026-09-30 07:25,IN",  # row 62: another month
        f"{PNS_2},2026-11-01 06:10,OUT",  # row 63: checks out of the night shift of 31 October (R2)
        f"{PNS_2},2026-11-01 10:30,OUT",  # row 64: more than 4 h after that shift's end
    ]) + "\n")
    write(landing, P, "service_catalog", "layanan.csv", "service_code,service_name,sla_working_days\nKTP,KTP-el,3\n")
    tickets = [f"T{i:03d},DISDUKCAPIL,KTP,{PNS_1},2026-10-05 09:00,2026-10-06 10:00,SELESAI" for i in range(1, 31)]
    write(landing, P, "service_tickets", "tiket.csv", "\n".join([
        "ticket_id,unit_code,service_code,officer_nip,received_at,completed_at,status",
        *tickets, tickets[4],  # row 32 repeats T005 of row 6
    ]) + "\n")
    run = stage(landing)

    assert failed(db, run.run_id) == [
        ("attendance", "unexpected_rows_expectation(punched_at)", "OUTSIDE_PERIOD", "row", False, 2, 63),
        # GX counts every row sharing a key; the set rule rejects only the repeat
        ("service_tickets", "expect_column_values_to_be_unique(ticket_id)", "DUPLICATE_KEY", "row", False, 2, 31),
    ]
    (rows,) = query(db, "select details->'result'->'partial_unexpected_rows' from meta.validation_result"
                        " where run_id = %s and rule = 'OUTSIDE_PERIOD'", (run.run_id,))[0]
    assert sorted(r["row_number"] for r in rows) == [62, 64]
    (listed,) = query(db, "select details->'result'->'partial_unexpected_list' from meta.validation_result"
                          " where run_id = %s and rule = 'DUPLICATE_KEY' and source = 'service_tickets'", (run.run_id,))[0]
    assert listed == ["T005", "T005"]
    # every other expectation of the staged sources ran and passed
    assert len(results(db, run.run_id)) == sum(
        len(build(s, run_id=run.run_id).expectations)
        for s in ("employees", "rosters", "attendance", "service_catalog", "service_tickets")
    )
    # the set rules that ran afterwards rejected the rows GX saw
    assert query(db, "select source, row_number, rule from meta.rejected_row where run_id = %s"
                     " order by source, row_number", (run.run_id,)) == [
        ("attendance", 62, "OUTSIDE_PERIOD"), ("attendance", 64, "OUTSIDE_PERIOD"),
        ("service_tickets", 32, "DUPLICATE_KEY"),
    ]


def test_a_clean_generated_month_passes_every_expectation(warehouse_url, db, stage, tmp_path):
    city = tmp_path / "city"
    generate(P, city, employees=100, seed=3)
    write(city, P, "holidays", "bkpp.csv", "holiday_date,description\n2026-10-20,Cuti bersama\n")
    run = stage(city)
    recorded = results(db, run.run_id)
    assert {source for source, *_ in recorded} == set(sources())
    assert len(recorded) == sum(len(build(s, run_id=run.run_id).expectations) for s in sources())
    assert [r for r in recorded if not r[4]] == []
    assert all(element > 0 for *_, element in recorded)

    again = validate_staged(warehouse_url, run.run_id, run.period)  # a retry replaces, never adds
    assert len(again) == len(recorded) == len(results(db, run.run_id))


def test_earlier_periods_a_failed_warning_is_recorded_but_refuses_nothing(warehouse_url, db, landing, stage):
    write_employees(landing, "2026-09", employee_row(PNS_1), *clean_employees(39))
    write(landing, "2026-09", "service_catalog", "layanan.csv", "service_code,service_name,sla_working_days\nKTP,KTP-el,3\n")
    write(landing, "2026-09", "service_tickets", "tiket.csv",
          "ticket_id,unit_code,service_code,officer_nip,received_at,completed_at,status\n"
          f"T001,BKPP,KTP,{PNS_1},2026-09-28 09:00,2026-09-29 10:00,SELESAI\n")
    stage(landing, "2026-09")
    write_employees(landing, P, employee_row(PNS_1), *clean_employees(9))  # 10 rows against 40: over 50 % off
    write(landing, P, "service_surveys", "skm.csv", "response_id,ticket_id,submitted_at,u1\nR1,T001,2026-10-02 08:00,4\n")
    run = stage(landing)

    assert failed(db, run.run_id) == [
        ("employees", "unexpected_rows_expectation(unit_code)", "WARN_ROW_COUNT", "warning", False, 1, 10),
    ]
    (units,) = query(db, "select details->'result'->'partial_unexpected_rows' from meta.validation_result"
                         " where run_id = %s and not success", (run.run_id,))[0]
    assert units == [{"unit_code": "BKPP", "n_rows": 10, "mean_of_last_periods": 40.0}]
    assert query(db, "select source, unit_code from meta.landing_notice where run_id = %s"
                     " and rule = 'WARN_ROW_COUNT'", (run.run_id,)) == [("employees", "BKPP")]  # the same warning
    # the answer to a ticket of September is no UNKNOWN_TICKET
    assert results(db, run.run_id, "rule = 'UNKNOWN_TICKET'")[0][4:6] == (True, 0)
    assert query(db, "select outcome from meta.run where run_id = %s", (run.run_id,)) == [("PUBLISHED",)]
    warning = next(r for r in validate_staged(warehouse_url, run.run_id, run.period) if not r.success)
    assert warning.severity == "warning" and not warning.refuses


def test_empty_sources_record_nothing(warehouse_url, db, landing, stage):
    write_employees(landing, P, employee_row(PNS_1))
    run = stage(landing)
    assert {source for source, *_ in results(db, run.run_id)} == {"employees"}


@pytest.mark.parametrize("url, expected", [
    ("postgresql://postgres:@/postgres?host=/tmp/pg sock", "postgresql+psycopg2://postgres:@/postgres?host=/tmp/pg sock"),
    ("postgres://u:p%40ss@db.example:5433/kinerja?sslmode=require",
     "postgresql+psycopg2://u:p%40ss@db.example:5433/kinerja?sslmode=require"),
    ("postgresql+psycopg2://u@h/d", "postgresql+psycopg2://u@h/d"),
    ("postgresql+psycopg://u@h/d", "postgresql+psycopg2://u@h/d"),
])
def test_warehouse_urls_become_psycopg2_sqlalchemy_urls(url, expected):
    assert sqlalchemy_url(url) == expected


def test_a_url_of_another_database_is_an_error():
    with pytest.raises(KinerjaError, match="postgresql://"):
        sqlalchemy_url("mysql://u@h/d")


def test_an_expectation_that_cannot_run_is_an_error_not_a_failure(warehouse_url, db, landing, stage, monkeypatch):
    from pipelines.expectations import common, employees

    write_employees(landing, P, employee_row(PNS_1))
    run = stage(landing)
    build_employees = employees.build
    broken = common.failing_rows("UNKNOWN_EMPLOYEE", "nip", "broken", f"select b.no_such_column from {common.BATCH}")
    monkeypatch.setattr(employees, "build", lambda scope: common.suite(
        scope, "employees", [*build_employees(scope).expectations, broken]))
    with pytest.raises(KinerjaError, match="no_such_column"):
        validate_staged(warehouse_url, run.run_id, run.period)
    assert len(results(db, run.run_id)) == len(build_employees(common.Scope(run.run_id, run.period)).expectations)


def _break_rows(db, run_id):
    """Rows that fail the suites, put into the run's staging partitions after the set rules ran."""
    statements = [
        # the first employee twice; one whose dates are in the wrong order; one with an unknown role
        "insert into staging.employees__r{r} select * from staging.employees__r{r} order by row_number limit 1",
        "insert into staging.employees__r{r} select run_id, file_no, 9001, period, nip || 'X', name, unit_code,"
        " unit_name, employment_type, job_type, 'NOT_A_ROLE', schedule, active_from, active_from - 10"
        " from staging.employees__r{r} order by row_number limit 2",
        # completed without officer or time, of a service not in the catalog
        "insert into staging.service_tickets__r{r} select run_id, file_no, 9002, period, ticket_id || 'X',"
        " unit_code, 'NO_SUCH_SERVICE', null, received_at, null, 'SELESAI'"
        " from staging.service_tickets__r{r} order by row_number limit 3",
        # punches of August, of someone unknown
        "insert into staging.attendance__r{r} select run_id, file_no, 9003, period, '1' || nip,"
        " punched_at - interval '60 days', direction, device_id, method"
        " from staging.attendance__r{r} order by row_number limit 4",
        "update staging.service_catalog__r{r} set sla_working_days = -2"
        " where service_code = (select min(service_code) from staging.service_catalog__r{r})",
        "update staging.rosters__r{r} set shift_date = shift_date + 40"
        " where row_number in (select row_number from staging.rosters__r{r} order by row_number limit 2)",
    ]
    with db.cursor() as cur:
        for statement in statements:
            cur.execute(statement.format(r=run_id))
    db.commit()


def test_the_sql_evaluation_records_what_great_expectations_does(warehouse_url, db, stage, tmp_path):
    from pipelines.rules.gx_validation import _row_counts, run_in_gx, run_in_sql

    city = tmp_path / "city"
    generate(P, city, employees=120, seed=5)
    run = stage(city)
    _break_rows(db, run.run_id)
    counts = {name: n for name, n in _row_counts(db, run.run_id).items() if n}
    in_order = lambda results: sorted(results, key=lambda r: (r.source, r.expectation, str(r.details["kwargs"])))
    by_gx = in_order(run_in_gx(warehouse_url, run.run_id, run.period, counts))
    by_sql = in_order(run_in_sql(warehouse_url, run.run_id, run.period, counts))

    def outcome(r):
        return (r.source, r.expectation, r.rule, r.severity, r.success, r.unexpected_count, r.element_count)

    assert [outcome(r) for r in by_sql] == [outcome(r) for r in by_gx]
    failing = {(r.source, r.rule) for r in by_sql if not r.success}
    assert {("employees", "DUPLICATE_KEY"), ("employees", "DATE_ORDER"), ("employees", "VALUE_NOT_ALLOWED"),
            ("service_tickets", "REQUIRED"), ("service_tickets", "UNKNOWN_SERVICE"),
            ("attendance", "OUTSIDE_PERIOD"), ("attendance", "UNKNOWN_EMPLOYEE"),
            ("service_catalog", "RANGE"), ("rosters", "OUTSIDE_PERIOD")} <= failing
    for sql, gx in zip(by_sql, by_gx):
        result, expected = sql.details["result"], gx.details["result"]
        if "partial_unexpected_rows" in expected:
            rows = sorted(r.get("row_number", 0) for r in result["partial_unexpected_rows"])
            assert rows == sorted(r.get("row_number", 0) for r in expected["partial_unexpected_rows"]), sql.expectation
        elif "column_A" not in sql.details["kwargs"]:
            assert sorted(map(str, result["partial_unexpected_list"])) == sorted(
                map(str, expected["partial_unexpected_list"])), sql.expectation
