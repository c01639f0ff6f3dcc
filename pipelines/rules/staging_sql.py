"""The set-based SQL that turns one file's raw lines into typed rows and coded rejections.

One statement per file: lines -> records (quoted line breaks joined) -> fields -> cleaned text
-> typed values, each row carrying the array of rules it fails (meta.rule_failure). The parse
functions live in sql/migrations/0002_parse_functions.sql; this module only arranges them for a
source's columns and a file's header, so every source is parsed by the same mechanism.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.land.layouts import DayColumns
from pipelines.rules.catalog import sql_template
from pipelines.rules.columns import Column, HeaderMap, Source

_VALUE = {
    "text": "{c}",
    "code": "upper({c})",
    "nip": "parse.nip_digits({c})",
    "date": "parse.to_date({c})",
    "datetime": "parse.to_timestamptz({c})",
    "time": "parse.to_time({c})",
    "integer": "parse.to_integer({c}, {decimal_comma})",
}
_FORMAT_RULE = {
    "date": "DATE_FORMAT",
    "datetime": "DATETIME_FORMAT",
    "time": "TIME_FORMAT",
    "integer": "NUMBER_FORMAT",
}


@dataclass(frozen=True)
class FileLayout:
    """What the loader learnt of one file before staging it."""

    lines_table: str  # raw.<name>(line_no, line): line `header_row` is the header
    delimiter: str
    multiline: bool  # some quoted value spans lines: records must be re-joined
    header: HeaderMap
    header_row: int = 1  # the lines above it (a title) are not data
    day: DayColumns | None = None  # a per-day summary: each row gives a punch per time column


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _failure(rule: str, column: str | None, value_sql: str, detail_sql: str = "null::text") -> str:
    """A meta.rule_failure for `rule`, its reason rendered by SQL's format()."""
    template = _literal(sql_template(rule, column or ""))
    column_sql = _literal(column) if column else "null"
    return (
        f"row({_literal(rule)}, {column_sql}, {value_sql}, "
        f"format({template}, {value_sql}, {detail_sql}), {detail_sql})::meta.rule_failure"
    )


def _value_sql(col: Column, decimal_comma: bool) -> str:
    cleaned = f"c_{col.name}"
    value = _VALUE[col.type].format(c=cleaned, decimal_comma=str(decimal_comma).lower())
    if col.values and any(k != v for k, v in col.values.items()):
        cases = " ".join(f"when {_literal(k)} then {_literal(v)}" for k, v in col.values.items())
        value = f"case {value} {cases} else {value} end"
    return value


@dataclass(frozen=True)
class Check:
    when: str  # SQL condition, true when the row fails
    failure: str  # SQL meta.rule_failure, evaluated only for failing rows


def _checks(col: Column, header: HeaderMap) -> list[Check]:
    c, v = f"c_{col.name}", f"v_{col.name}"
    checks = []
    if col.required:
        checks.append(Check(f"{c} is null", _failure("REQUIRED", col.name, "null::text")))
    if col.type == "nip":
        pattern = f"upper(c_{col.nip_pattern})" if col.nip_pattern in header.positions else "null"
        which = f"coalesce({pattern}, 'PNS or PPPK')"
        digits18 = f"parse.shape({v}) = '{'9' * 18}'"
        checks.append(Check(
            f"{c} is not null and not ({digits18} and parse.is_valid_nip({v}, {pattern}))",
            f"case when {digits18} then {_failure('NIP_FORMAT', col.name, c, which)}"
            f" when parse.is_nip_as_number({c}) then {_failure('NIP_AS_NUMBER', col.name, c)}"
            f" else {_failure('NIP_LENGTH', col.name, c)} end",
        ))
    if col.type in _FORMAT_RULE:
        checks.append(Check(f"{c} is not null and {v} is null", _failure(_FORMAT_RULE[col.type], col.name, c)))
    if col.values:
        allowed = ", ".join(dict.fromkeys(col.values.values()))
        keys = ", ".join(_literal(k) for k in col.values)
        checks.append(Check(
            f"{c} is not null and upper({c}) not in ({keys})",
            _failure("VALUE_NOT_ALLOWED", col.name, c, _literal(allowed)),
        ))
    if col.min is not None or col.max is not None:
        bounds = [f"{v} < {col.min}"] if col.min is not None else []
        bounds += [f"{v} > {col.max}"] if col.max is not None else []
        detail = f"{col.min} to {col.max}" if col.max is not None else f"{col.min} or more"
        checks.append(Check(" or ".join(bounds), _failure("RANGE", col.name, c, _literal(detail))))
    return checks


def _records_sql(layout: FileLayout) -> str:
    """(row_number, rec): one data record per row; row_number as a spreadsheet shows it."""
    lines, first = layout.lines_table, layout.header_row
    if not layout.multiline:
        return f"select line_no as row_number, coalesce(line, '') as rec from {lines} where line_no > {first}"
    # A line starts a record when the quotes before it are balanced (even).
    return f"""
        select rec_no + {first} as row_number, string_agg(line, E'\\n' order by line_no) as rec
        from (
            select line_no, line,
                   count(*) filter (where quotes_before % 2 = 0) over (order by line_no) as rec_no
            from (
                select line_no, coalesce(line, '') as line,
                       sum(quotes) over (order by line_no) - quotes as quotes_before
                from (
                    select line_no, line, length(line) - length(replace(line, '"', '')) as quotes
                    from {lines} where line_no > {first}
                ) q
            ) s
        ) r
        group by rec_no"""


@dataclass(frozen=True)
class BatchTables:
    """Work tables of one file's staging; unlogged (parallel workers can read them, temp tables
    they cannot) and created in the file's transaction, so they vanish with it."""

    text: str  # row_number, n_fields, c_<column>: cleaned text (and raw_row for joined records)
    typed: str  # the same plus v_<column>: typed values
    failures: str  # row_number, rule, column_name, value, reason: one row per failed rule


def batch_sql(source: Source, layout: FileLayout, tables: BatchTables) -> list[str]:
    """The statements that stage one file, in order. Three steps rather than one query, so each
    expression is computed once per row (a nested query would repeat it) and the two heavy steps
    can run on parallel workers."""
    header = layout.header
    delim = _literal(layout.delimiter)
    decimal_comma = layout.delimiter == ";"

    day = layout.day
    punched = {day.datetime_column, day.direction_column} if day else set()

    def cleaned(field: str) -> str:
        columns = [
            f"parse.clean({field.format(k=header.positions[c.name])}) as c_{c.name}"
            if c.name in header.positions
            else f"null::text as c_{c.name}"
            for c in source.columns if c.name not in punched
        ]
        if day:
            columns.append(f"parse.clean({field.format(k=day.date)}) as d_date")
            columns += [f"parse.clean({field.format(k=k)}) as d_time{n}" for n, (_, k) in enumerate(day.times)]
        return ", ".join(columns)

    values = [f"{_value_sql(c, decimal_comma)} as v_{c.name}" for c in source.columns]
    checks = [check for c in source.columns for check in _checks(c, header)]
    failing = " or ".join(f"({check.when})" for check in checks) or "false"
    failures = ", ".join(f"case when {check.when} then {check.failure} end" for check in checks) or "null"
    field_count = _failure("ROW_FIELD_COUNT", None, "n_fields::text", _literal(str(header.width)))
    blank_plain = _literal(f"^[\\s{layout.delimiter}]*$")  # only spaces and delimiters
    return [
        # Records without quotes (nearly all) are cut with split_part; the few with quotes are
        # split once each by the CSV-aware parse.csv_fields.
        f"""create unlogged table {tables.text} as
            select row_number, {"rec as raw_row," if layout.multiline else ""}
                   length(rec) - length(replace(rec, {delim}, '')) + 1 as n_fields,
                   {cleaned(f"split_part(rec, {delim}, {{k}})")}
            from ({_records_sql(layout)}) plain
            where strpos(rec, '"') = 0 and rec !~ {blank_plain}
            union all
            select row_number, {"rec," if layout.multiline else ""} cardinality(f), {cleaned("f[{k}]")}
            from (
                select row_number, rec, parse.csv_fields(rec, {delim}) as f
                from ({_records_sql(layout)}) quoted
                where strpos(rec, '"') > 0
                offset 0
            ) fields
            where array_to_string(f, '') !~ '^\\s*$'""",
        f"create unlogged table {tables.typed} as select *, {', '.join(values)}"
        f" from {_punches_sql(day, tables.text) if day else tables.text}",
        # Clean rows only pass the conditions; failures are built for the failing rows alone.
        f"""create unlogged table {tables.failures} as
            select {"distinct" if day else ""} row_number, (f).* from (
                select row_number,
                       unnest(case when n_fields <> {header.width} then array[{field_count}]
                                   else array[{failures}]::meta.rule_failure[] end) as f
                from {tables.typed}
                where n_fields <> {header.width} or {failing}
            ) checked
            where not (f is null)  -- a failure with a null value is still a failure""",
    ]


def _punches_sql(day: DayColumns, text: str) -> str:
    """A per-day summary's rows as punches: one per filled time column, at the row's date (a
    date cell exported with its midnight keeps only the date). Both punches keep the row's
    row_number, so a rejection points at the row as the spreadsheet shows it."""
    date = "split_part(t.d_date, ' ', 1)"
    punches = " union all ".join(
        f"select concat_ws(' ', {date}, t.d_time{n}) as c_{day.datetime_column},"
        f" {_literal(direction)}::text as c_{day.direction_column} where t.d_time{n} is not null"
        for n, (direction, _) in enumerate(day.times)
    )
    return f"(select t.*, p.* from {text} t cross join lateral ({punches}) p) punches"


def raw_rows_sql(layout: FileLayout, tables: BatchTables) -> str:
    """(row_number, raw_row): each record as read. A record is its line unless quoted line breaks
    joined lines, so only then is the text kept in the work table."""
    if layout.multiline:
        return f"select row_number, raw_row from {tables.text}"
    return f"select line_no as row_number, line as raw_row from {layout.lines_table}"
