"""Evaluate a source's expectation suite by SQL: one statement per source, its column expectations
sharing one scan of the batch, instead of GX's one query (or more) per expectation.

Each expectation yields what GX's BASIC result gives (element and unexpected counts, the first
unexpected values or rows) with GX's semantics: column expectations other than not-null skip null
values, a row condition limits the rows counted, a unique column counts every row sharing a value,
a column pair is skipped when either value is missing, an UnexpectedRowsExpectation counts the rows
its query returns. tests/integration/test_expectations.py checks these against GX itself.
"""

from __future__ import annotations

from datetime import date

from pipelines.expectations.common import Expectation, Suite

# Unexpected values (or rows) kept per expectation, as GX's partial lists keep them.
PARTIAL = 20


def _literal(value) -> str:
    if isinstance(value, bool) or value is None:
        raise ValueError(f"no SQL literal for {value!r}")
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, date):
        return f"date '{value.isoformat()}'"
    return "'" + str(value).replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _column_check(e: Expectation) -> tuple[str, str, str]:
    """(rows counted, rows unexpected, the value listed) as SQL over the batch `b`."""
    k = e.kwargs
    if e.type == "expect_column_pair_values_a_to_be_greater_than_b":
        a, b = f"b.{_ident(k['column_A'])}", f"b.{_ident(k['column_B'])}"
        both = f"{a} is not null and {b} is not null"
        return "true", f"{both} and not ({a} {'>=' if k.get('or_equal') else '>'} {b})", f"jsonb_build_array({a}, {b})"
    c = f"b.{_ident(k['column'])}"
    counted = "true"
    if e.row_condition:
        column, value = e.row_condition
        counted = f"b.{_ident(column)} = {_literal(value)}"
    if e.type == "expect_column_values_to_not_be_null":
        return counted, f"{counted} and {c} is null", "null::jsonb"
    if e.type == "expect_column_values_to_be_in_set":
        values = ", ".join(_literal(v) for v in k["value_set"])
        return counted, f"{counted} and {c} is not null and {c} not in ({values})", f"to_jsonb({c})"
    if e.type == "expect_column_values_to_be_between":
        outside = []
        if k.get("min_value") is not None:
            outside.append(f"{c} {'<=' if k.get('strict_min') else '<'} {_literal(k['min_value'])}")
        if k.get("max_value") is not None:
            outside.append(f"{c} {'>=' if k.get('strict_max') else '>'} {_literal(k['max_value'])}")
        return counted, f"{counted} and {c} is not null and ({' or '.join(outside)})", f"to_jsonb({c})"
    raise ValueError(f"no SQL for the expectation {e.type}")


def _first(listed: str, where: str) -> str:
    """The first PARTIAL values of `listed` on the rows where `where` holds, as a jsonb array."""
    return f"coalesce(to_jsonb((array_agg({listed}) filter (where {where}))[1:{PARTIAL}]), '[]')"


def _scanned(e: Expectation) -> bool:
    return e.type not in ("unexpected_rows_expectation", "expect_column_values_to_be_unique")


def suite_sql(suite: Suite, table: str) -> str:
    """One statement returning one jsonb per expectation, in the suite's order: {"elements",
    "unexpected", "partial"}; elements is null for an UnexpectedRowsExpectation."""
    batch = f"(select * from {table}) b"
    aggregates, columns = [], []
    for e in suite.expectations:
        if _scanned(e):
            counted, unexpected, listed = _column_check(e)
            aggregates.append(
                f"jsonb_build_object('elements', count(*) filter (where {counted}),"
                f" 'unexpected', count(*) filter (where {unexpected}), 'partial', {_first(listed, unexpected)})"
            )
            columns.append(f"scan.a[{len(aggregates)}]")
        elif e.type == "expect_column_values_to_be_unique":
            c = _ident(e.kwargs["column"])
            shared = "v is not null and n > 1"
            columns.append(
                f"(select jsonb_build_object('elements', count(*), 'unexpected', count(*) filter (where {shared}),"
                f" 'partial', {_first('to_jsonb(v)', shared)})"
                f" from (select b.{c} as v, count(*) over (partition by b.{c}) as n from {batch}) d)"
            )
        else:
            query = e.kwargs["unexpected_rows_query"].replace("{batch}", table)
            columns.append(
                f"(select jsonb_build_object('elements', null, 'unexpected', count(*),"
                f" 'partial', {_first('r', f'n <= {PARTIAL}')})"
                f" from (select to_jsonb(q) as r, row_number() over () as n from ({query}) q) x)"
            )
    # The column expectations share one scan of the batch.
    scan = f" cross join (select array[{', '.join(aggregates)}] as a from {batch}) scan" if aggregates else ""
    return f"select {', '.join(columns)} from (select) one{scan}"
