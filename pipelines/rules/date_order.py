"""Dates written month first (MM/DD/YYYY) where the contract says day first (contracts §2.1).

Read day first, 10/13/2026 is no date and 10/1/2026 is 10 January: the file would be refused as
badly formatted or of the wrong month, which sends the clerk looking in the wrong place. One
query over the file's cleaned text weighs the evidence of each D/M/YYYY value:

- month first: the second number is over 12, or (in a column that places the row in the period)
  only the month-first reading falls in the period's month;
- day first: the first number is over 12, or only the day-first reading falls in the period.

A file with month-first evidence and none for day first is refused with FILE_DATE_ORDER. Its
dates are not reinterpreted: the contract is day first, and a guess would be silent.
"""

from __future__ import annotations

from functools import cache

from pipelines.period import Period
from pipelines.rules.columns import Source
from pipelines.rules.staging_sql import FileLayout


@cache
def _period_columns() -> frozenset[tuple[str, str]]:
    # Imported here: set_rules reads the loader's view names, and the loader runs this check.
    from pipelines.rules.set_rules import RULES

    return frozenset((r.source, r.column) for r in RULES if r.code == "OUTSIDE_PERIOD")


def _date_texts(source: Source, layout: FileLayout) -> list[tuple[str, str, bool]]:
    """(text column of the work table, column name, whether it places the row in the period)."""
    texts = [
        (f"c_{c.name}", c.name, (source.name, c.name) in _period_columns())
        for c in source.columns
        if c.type in ("date", "datetime") and c.name in layout.header.positions
    ]
    if layout.day:
        column = layout.day.datetime_column
        texts.append(("d_date", column, (source.name, column) in _period_columns()))
    return texts


def month_first_sql(source: Source, layout: FileLayout, text_table: str, period: Period) -> str | None:
    """(month-first evidence, day-first evidence, first month-first example as {row, column,
    value}) of the file, or None when it has no date columns."""
    texts = _date_texts(source, layout)
    if not texts:
        return None
    values = " union all ".join(
        f"select row_number, '{name}'::text as col, {text} as t, {bound} as bound"
        f" from {text_table} where strpos({text}, '/') > 0"
        for text, name, bound in texts
    )
    number = "case when parse.shape({p}) in ('9', '99', '9999') then {p}::int end"
    a, b = number.format(p="split_part(t, '/', 1)"), number.format(p="split_part(t, '/', 2)")
    y = number.format(p="left(split_part(t, '/', 3), 4)")
    same_period = f"bound and a <> b and a <= 12 and b <= 12 and y = {period.year}"
    return f"""
        select count(*) filter (where us), count(*) filter (where eu),
               min(array[lpad(row_number::text, 20, '0'), col, t]) filter (where us)
        from (
            select row_number, col, t,
                   (a <= 12 and b between 13 and 31) or ({same_period} and a = {period.month}) as us,
                   (b <= 12 and a between 13 and 31) or ({same_period} and b = {period.month}) as eu
            from (select row_number, col, t, bound, {a} as a, {b} as b, {y} as y from ({values}) v) parts
            where a >= 1 and b >= 1 and y is not null
        ) evidence"""


def month_first_detail(cur, source: Source, layout: FileLayout, text_table: str, period: Period) -> str | None:
    """FILE_DATE_ORDER's detail (an example: value, column, row) when the file's dates are
    written month first, else None."""
    sql = month_first_sql(source, layout, text_table, period)
    if sql is None:
        return None
    cur.execute(sql)
    month_first, day_first, example = cur.fetchone()
    if not month_first or day_first:
        return None
    row, column, value = example
    return f"'{value}' in {column}, row {int(row)}"
