"""What every suite is built from: the batch a suite runs on, the rule tag, and one builder per kind
of rule.

Each expectation carries in its `meta` the code of the rule it stands for (pipelines/rules/catalog.py)
and that rule's severity; `pipelines.rules.gx_validation` records both with the result. An
expectation is plain data (`Expectation`: GX's type name and arguments): the run evaluates a
source's suite by SQL in one statement (`pipelines.rules.expectation_sql`), and `to_gx()` makes the
same expectation a Great Expectations one, for GX to run. Column rules
come from config/sources.yml (required columns, allowed values, ranges), so a suite follows the
source definition. Rules that need SQL over more than one row or source are
`UnexpectedRowsExpectation`s: their query returns the failing rows of `{batch}`, with the literal
run and period of the batch written in (GX substitutes only `{batch}`).

Importing this module does not import Great Expectations: `to_gx` does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from pipelines.period import Period
from pipelines.rules.catalog import severity
from pipelines.rules.columns import sources
from pipelines.rules.coverage import quality

# The batch's rows as `b`. Every query reads the batch through this, so GX's JOIN-dependent
# aliasing of `{batch}` never matters (PostgreSQL 16 accepts an unaliased derived table).
BATCH = "(select * from {batch}) b"


@dataclass(frozen=True)
class Scope:
    """The batch a suite runs on: one run's staged rows of a source, for one period."""

    run_id: int
    period: Period

    # The period's first and last day and the next period's first day, as SQL date literals.
    @property
    def first_day_sql(self) -> str:
        return f"date '{self.period.first_day}'"

    @property
    def last_day_sql(self) -> str:
        return f"date '{self.period.end_day - timedelta(days=1)}'"

    @property
    def next_first_day_sql(self) -> str:
        return f"date '{self.period.end_day}'"

    # The period's first instant and the next period's, as SQL timestamptz literals.
    @property
    def start_sql(self) -> str:
        return f"timestamptz '{self.period.first_instant.isoformat()}'"

    @property
    def end_sql(self) -> str:
        return f"timestamptz '{self.period.end_instant.isoformat()}'"

    def is_active_employee(self, nip_sql: str) -> str:
        """Whether a NIP belongs to this run's employees active at any time in the period (R5).
        (NOT EXISTS, not NOT IN: NOT IN over a large list cannot be hashed and turns quadratic.)"""
        return (
            f"exists (select from staging.employees e where e.run_id = {self.run_id} and e.nip = {nip_sql}"
            f" and e.active_from <= {self.last_day_sql}"
            f" and (e.active_to is null or e.active_to >= {self.first_day_sql}))"
        )


def local_date(timestamp_sql: str) -> str:
    """The Asia/Jakarta date of a timestamptz: an event belongs to the period of its local date."""
    return f"(({timestamp_sql}) at time zone 'Asia/Jakarta')::date"


def tag(rule: str, **extra) -> dict:
    return {"rule": rule, "severity": severity(rule), **extra}


@dataclass(frozen=True)
class Expectation:
    """One expectation: its type as GX names it (`expect_column_values_to_be_unique`), its GX
    arguments and meta; `row_condition` (column, value) limits it to the rows where column = value."""

    type: str
    kwargs: dict
    meta: dict
    description: str | None = None
    row_condition: tuple[str, str] | None = None

    @property
    def column(self) -> str | None:
        return self.kwargs.get("column")

    def to_gx(self):
        """The same expectation as a Great Expectations object (imports GX)."""
        import great_expectations.expectations as gxe
        from great_expectations.expectations.row_conditions import Column

        extra = {"description": self.description} if self.description else {}
        if self.row_condition:
            column, value = self.row_condition
            extra["row_condition"] = Column(column) == value
        cls = getattr(gxe, "".join(word.capitalize() for word in self.type.split("_")))
        return cls(**self.kwargs, **extra, meta=self.meta)


@dataclass(frozen=True)
class Suite:
    name: str
    expectations: list[Expectation] = field(default_factory=list)


def suite(scope: Scope, source: str, expectations: list) -> Suite:
    """The source's suite: its expectations, then its row count per unit (a warning)."""
    return Suite(name=source, expectations=[*expectations, row_count_per_unit(scope, source)])


# -- column rules from config/sources.yml ---------------------------------------------------------


def required(source: str) -> list:
    """REQUIRED: every required column has a value."""
    return [
        Expectation("expect_column_values_to_not_be_null", {"column": c.name}, tag("REQUIRED"))
        for c in sources()[source].columns
        if c.required
    ]


def required_when(column: str, condition: tuple[str, str], words: str) -> Expectation:
    """REQUIRED only on the rows that meet `condition`: (column, value), the column equal to it."""
    return Expectation(
        "expect_column_values_to_not_be_null", {"column": column}, tag("REQUIRED", when=words),
        row_condition=condition,
    )


def allowed_values(source: str) -> list:
    """VALUE_NOT_ALLOWED: enum columns hold one of their canonical values (empty is not checked)."""
    return [
        Expectation(
            "expect_column_values_to_be_in_set",
            {"column": c.name, "value_set": sorted(set(c.values.values()))}, tag("VALUE_NOT_ALLOWED"),
        )
        for c in sources()[source].columns
        if c.values
    ]


def ranges(source: str) -> list:
    """RANGE: numbers within their min/max (empty is not checked)."""
    return [
        Expectation(
            "expect_column_values_to_be_between",
            {"column": c.name, "min_value": c.min, "max_value": c.max}, tag("RANGE"),
        )
        for c in sources()[source].columns
        if c.min is not None or c.max is not None
    ]


# -- rules over more than one row -----------------------------------------------------------------


def unique_key(column: str) -> Expectation:
    """DUPLICATE_KEY. GX counts every row sharing a key; the SQL rule rejects all but the first."""
    return Expectation("expect_column_values_to_be_unique", {"column": column}, tag("DUPLICATE_KEY"))


def date_order(later: str, earlier: str) -> Expectation:
    """DATE_ORDER: `later` is not before `earlier` (rows missing either are not checked)."""
    return Expectation(
        "expect_column_pair_values_a_to_be_greater_than_b",
        {"column_A": later, "column_B": earlier, "or_equal": True,
         "ignore_row_if": "either_value_is_missing"},
        tag("DATE_ORDER"),
    )


def failing_rows(rule: str, column: str, description: str, query: str) -> Expectation:
    """A rule as SQL returning the batch's failing rows (file_no, row_number and the value)."""
    return Expectation(
        "unexpected_rows_expectation", {"unexpected_rows_query": " ".join(query.split())},
        tag(rule, column=column), description=description,
    )


def date_in_period(scope: Scope, column: str) -> Expectation:
    """OUTSIDE_PERIOD for a date column: it falls in the period."""
    return Expectation(
        "expect_column_values_to_be_between",
        {"column": column, "min_value": scope.period.first_day, "max_value": scope.period.end_day,
         "strict_max": True},
        tag("OUTSIDE_PERIOD"),
    )


def outside_period(scope: Scope, column: str, timestamp_sql: str, exception: str | None = None):
    """OUTSIDE_PERIOD: the row's instant (`timestamp_sql` over `b`) has its local date in the
    period, or `exception` holds. Compared with the period's first and the next period's first
    instant: the same rows as their local dates would give, without computing one per row."""
    where = f"not ({timestamp_sql} >= {scope.start_sql} and {timestamp_sql} < {scope.end_sql})"
    if exception:
        where += f" and not ({exception})"
    return failing_rows(
        "OUTSIDE_PERIOD", column, f"{column} places the row in {scope.period}",
        f"select b.file_no, b.row_number, b.{column} from {BATCH} where {where}",
    )


def known_employee(scope: Scope, column: str):
    """UNKNOWN_EMPLOYEE: a NIP given belongs to an employee of this run active in the period.
    Each distinct NIP is looked up once: an anti-join of the rows themselves hashes all of them (a
    month's punches name each NIP about 40 times) and spills to disk at province scale."""
    return failing_rows(
        "UNKNOWN_EMPLOYEE", column, f"{column} is an employee active in {scope.period}",
        f"""select b.file_no, b.row_number, b.{column} from {BATCH}
            where b.{column} in (
                select u.nip from (select distinct b.{column} as nip from {BATCH} where b.{column} is not null) u
                where not {scope.is_active_employee("u.nip")})""",
    )


def row_count_per_unit(scope: Scope, source: str):
    """WARN_ROW_COUNT (a warning, R13): a unit's rows far from its mean over the last staged
    periods (data_quality.row_count_warning of the rules), counted as the run's notices count them
    (pipelines/rules/coverage.py): a row's unit is its unit_code, else its NIP's unit in the same
    run's employees, else the city; the mean is over the most recent periods staged before this
    one; units with a small mean are not compared. Returns the units off, with their counts.
    """
    warn = quality()["row_count_warning"]
    names = {c.name for c in sources()[source].columns}
    nip = next((n for n in ("nip", "officer_nip") if n in names), None)
    if "unit_code" in names:
        unit, join = "s.unit_code", ""
    elif nip:
        unit = f"case when s.{nip} is null then '(no NIP)' else coalesce(e.unit_code, '(NIP not in employees)') end"
        join = f"left join employee_unit e on e.run_id = s.run_id and e.nip = s.{nip}"
    else:
        unit, join = "'(city-wide)'", ""
    return failing_rows(
        "WARN_ROW_COUNT", "unit_code", f"each unit's rows are within {100 * warn['deviation']:g} % of its mean"
        f" of the last {warn['recent_periods']} periods",
        f"""with earlier as (
                select run_id from meta.staged_period where period < '{scope.period}'
                order by period desc limit {int(warn['recent_periods'])}),
            employee_unit as (
                select distinct on (run_id, nip) run_id, nip, unit_code from staging.employees
                where run_id = {scope.run_id} or run_id in (select run_id from earlier)
                order by run_id, nip, file_no, row_number),
            now as (
                select {unit} as unit_code, count(*) as n from (select * from {{batch}}) s {join} group by 1),
            mean as (
                select {unit} as unit_code, count(*)::numeric / (select count(*) from earlier) as n
                from staging.{source} s {join} where s.run_id in (select run_id from earlier) group by 1)
            select unit_code, now.n as n_rows, round(mean.n, 1) as mean_of_last_periods
            from now join mean using (unit_code)
            where mean.n >= {float(warn['min_mean_rows'])}
              and abs(now.n - mean.n) > {float(warn['deviation'])} * mean.n""",
    )
