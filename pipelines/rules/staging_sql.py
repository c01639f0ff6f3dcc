"""The set-based SQL that turns one file's raw lines into typed rows and coded rejections.

One statement per file: lines -> records (quoted line breaks joined) -> fields -> cleaned text
-> typed values, each row carrying the array of rules it fails (meta.rule_failure). The parse
functions live in sql/migrations/0002_parse_functions.sql; this module only arranges them for a
source's columns and a file's header, so every source is parsed by the same mechanism.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.rules.catalog import message
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

    lines_table: str  # raw.<name>(line_no, line): line 1 is the header
    delimiter: str
    multiline: bool  # some quoted value spans lines: records must be re-joined
    header: HeaderMap


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _failure(rule: str, column: str | None, value_sql: str, detail: str = "", extra_args: str = "") -> str:
    """A meta.rule_failure for `rule`, its reason rendered by SQL's format()."""
    template = _literal(message(rule, column=column or "", detail=detail))
    column_sql = _literal(column) if column else "null"
    return (
        f"row({_literal(rule)}, {column_sql}, {value_sql}, "
        f"format({template}, {value_sql}{extra_args}))::meta.rule_failure"
    )


def _value_sql(col: Column, decimal_comma: bool) -> str:
    cleaned = f"c_{col.name}"
    value = _VALUE[col.type].format(c=cleaned, decimal_comma=str(decimal_comma).lower())
    if col.values and any(k != v for k, v in col.values.items()):
        cases = " ".join(f"when {_literal(k)} then {_literal(v)}" for k, v in col.values.items())
        value = f"case {value} {cases} else {value} end"
    return value


def _checks(col: Column, header: HeaderMap) -> list[str]:
    """CASE expressions, one per rule, each a failure or null."""
    c, v = f"c_{col.name}", f"v_{col.name}"
    checks = []
    if col.required:
        checks.append(f"case when {c} is null then {_failure('REQUIRED', col.name, 'null::text')} end")
    if col.type == "nip":
        pattern = f"c_{col.nip_pattern}" if col.nip_pattern in header.positions else "null"
        which = f", coalesce(upper({pattern}), 'PNS or PPPK')"
        checks.append(
            f"case when {c} is null then null"
            f" when parse.is_nip_as_number({c}) then {_failure('NIP_AS_NUMBER', col.name, c)}"
            f" when {v} !~ '^\\d{{18}}$' then {_failure('NIP_LENGTH', col.name, c)}"
            f" when not parse.is_valid_nip({v}, upper({pattern}))"
            f" then {_failure('NIP_FORMAT', col.name, c, '%2$s', which)}"
            f" end"
        )
    if col.type in _FORMAT_RULE:
        rule = _FORMAT_RULE[col.type]
        checks.append(f"case when {c} is not null and {v} is null then {_failure(rule, col.name, c)} end")
    if col.values:
        allowed = ", ".join(dict.fromkeys(col.values.values()))
        keys = ", ".join(_literal(k) for k in col.values)
        checks.append(
            f"case when {c} is not null and upper({c}) not in ({keys})"
            f" then {_failure('VALUE_NOT_ALLOWED', col.name, c, allowed)} end"
        )
    if col.min is not None or col.max is not None:
        bounds = [f"{v} < {col.min}"] if col.min is not None else []
        bounds += [f"{v} > {col.max}"] if col.max is not None else []
        detail = f"{col.min} to {col.max}" if col.max is not None else f"{col.min} or more"
        checks.append(f"case when {' or '.join(bounds)} then {_failure('RANGE', col.name, c, detail)} end")
    return checks


def _records_sql(layout: FileLayout) -> str:
    """(row_number, rec): one data record per row; row_number as a spreadsheet shows it."""
    lines = layout.lines_table
    if not layout.multiline:
        return f"select line_no as row_number, coalesce(line, '') as rec from {lines} where line_no > 1"
    # A line starts a record when the quotes before it are balanced (even).
    return f"""
        select rec_no + 1 as row_number, string_agg(line, E'\\n' order by line_no) as rec
        from (
            select line_no, line,
                   count(*) filter (where quotes_before % 2 = 0) over (order by line_no) as rec_no
            from (
                select line_no, coalesce(line, '') as line,
                       sum(quotes) over (order by line_no) - quotes as quotes_before
                from (
                    select line_no, line, length(line) - length(replace(line, '"', '')) as quotes
                    from {lines} where line_no > 1
                ) q
            ) s
        ) r
        group by rec_no"""


def batch_rows_sql(source: Source, layout: FileLayout, target: str) -> str:
    """SQL creating temp table `target`: (row_number, raw_row, v_<column>..., failures)."""
    header = layout.header
    delim = _literal(layout.delimiter)
    decimal_comma = layout.delimiter == ";"
    present = [c for c in source.columns if c.name in header.positions]
    absent = [c for c in source.columns if c.name not in header.positions]

    cleaned = [f"parse.clean(f[{header.positions[c.name]}]) as c_{c.name}" for c in present]
    cleaned += [f"null::text as c_{c.name}" for c in absent]
    values = [f"{_value_sql(c, decimal_comma)} as v_{c.name}" for c in source.columns]
    checks = [check for c in source.columns for check in _checks(c, header)]
    width = header.width
    field_count = _failure("ROW_FIELD_COUNT", None, "cardinality(f)::text", str(width))

    return f"""
        create temp table {target} on commit drop as
        select row_number, raw_row, {", ".join(f"v_{c.name}" for c in source.columns)},
               case
                   when cardinality(f) > {width}
                        and array_to_string(f[{width + 1}:], '') !~ '^\\s*$'
                   then array[{field_count}]
                   else array_remove(array[{", ".join(checks) or "null"}]::meta.rule_failure[], null)
               end as failures
        from (
            select *, {", ".join(values)}
            from (
                select row_number, rec as raw_row, f, {", ".join(cleaned)}
                from (
                    select row_number, rec,
                           case when strpos(rec, '"') = 0 then string_to_array(rec, {delim})
                                else parse.csv_fields(rec, {delim}) end as f
                    from ({_records_sql(layout)}) records
                    offset 0
                ) fields
                where array_to_string(f, '') !~ '^\\s*$'
                offset 0
            ) cleaned
            offset 0
        ) typed
    """
