"""The set-based SQL that turns one file's COPYed rows into typed rows and coded rejections.

Fields parsed by PostgreSQL's CSV parser (the native path), or raw lines -> records (quoted line
breaks joined) -> fields; then cleaned text -> typed values, each row carrying the array of rules
it fails (meta.rule_failure). The parse
functions live in sql/migrations/0002_parse_functions.sql; this module only arranges them for a
source's columns and a file's header, so every source is parsed by the same mechanism.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.land.layouts import DayColumns
from pipelines.load.copy import field_names
from pipelines.rules.catalog import sql_template
from pipelines.rules.columns import Column, HeaderMap, Source

# A phrase matched without case or repeated spaces ("di  atas ekspektasi").
_FOLDED = "upper(regexp_replace({c}, '\\s+', ' ', 'g'))"
_VALUE = {
    "text": "{c}",
    "code": "upper({c})",
    "nip": "parse.nip_digits({c})",
    "date": "parse.to_date({c})",
    "datetime": "parse.to_timestamptz_iso_first({c})",
    "time": "parse.to_time({c})",
    "integer": "parse.to_integer({c}, {decimal_comma})",
    "label": _FOLDED,
    "rating_period": "parse.rating_period({c})",
}
_FORMAT_RULE = {
    "date": "DATE_FORMAT",
    "datetime": "DATETIME_FORMAT",
    "time": "TIME_FORMAT",
    "integer": "NUMBER_FORMAT",
    "rating_period": "PERIOD_FORMAT",
}


@dataclass(frozen=True)
class FileLayout:
    """What the loader learnt of one file before staging it."""

    # native: raw.<name>(row_number, f1..fN), the records as COPY's CSV parser split them;
    # else raw.<name>(line_no, line), the file's lines: line `header_row` is the header
    lines_table: str
    delimiter: str
    multiline: bool  # some quoted value spans lines: records must be re-joined
    header: HeaderMap
    header_row: int = 1  # the lines above it (a title) are not data
    day: DayColumns | None = None  # a per-day summary: each row gives a punch per time column
    native: bool = False


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
        pattern = _nip_pattern(col, header)
        which = f"coalesce({pattern}, 'PNS or PPPK')"
        digits18 = f"parse.shape({v}) = '{_DIGITS18}'"
        checks.append(Check(
            f"{c} is not null and not nip_{col.name}.ok",
            f"case when {digits18} then {_failure('NIP_FORMAT', col.name, c, which)}"
            f" when parse.is_nip_as_number({c}) then {_failure('NIP_AS_NUMBER', col.name, c)}"
            f" else {_failure('NIP_LENGTH', col.name, c)} end",
        ))
    if col.type in _FORMAT_RULE:
        checks.append(Check(f"{c} is not null and {v} is null", _failure(_FORMAT_RULE[col.type], col.name, c)))
    if col.values:
        allowed = ", ".join(dict.fromkeys(col.values.values()))
        keys = ", ".join(_literal(k) for k in col.values)
        matched = (_FOLDED if col.type == "label" else "upper({c})").format(c=c)
        checks.append(Check(
            f"{c} is not null and {matched} not in ({keys})",
            _failure("VALUE_NOT_ALLOWED", col.name, c, _literal(allowed)),
        ))
    if col.min is not None or col.max is not None:
        bounds = [f"{v} < {col.min}"] if col.min is not None else []
        bounds += [f"{v} > {col.max}"] if col.max is not None else []
        detail = f"{col.min} to {col.max}" if col.max is not None else f"{col.min} or more"
        checks.append(Check(" or ".join(bounds), _failure("RANGE", col.name, c, _literal(detail))))
    return checks


_DIGITS18 = "9" * 18


def _nip_pattern(col: Column, header: HeaderMap) -> str:
    """The R5 pattern a row's NIP must follow: its employment type (PNS, PPPK), null for either."""
    return f"upper(c_{col.nip_pattern})" if col.nip_pattern in header.positions else "null"


def _nip_validity_join(col: Column, header: HeaderMap, typed: str) -> str:
    """A join giving each row `nip_<column>.ok`: whether its NIP is valid, checked once for each
    distinct NIP and pattern (a month's punches repeat each NIP about 40 times)."""
    v, key = f"v_{col.name}", f"coalesce({_nip_pattern(col, header)}, '')"
    return f"""left join (
            select v, p, parse.shape(v) = '{_DIGITS18}' and parse.is_valid_nip(v, nullif(p, '')) as ok
            from (select distinct {v} as v, {key} as p from {typed} where c_{col.name} is not null) d
        ) nip_{col.name} on nip_{col.name}.v = {v} and nip_{col.name}.p = {key}"""


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


def text_rows(layout: FileLayout, tables: BatchTables) -> str:
    """The work table with one row per record and its cleaned text: the typed table, made with
    the text in one statement; a per-day summary's own text table (its typed rows are punches)."""
    return tables.text if layout.day else tables.typed


def batch_sql(source: Source, layout: FileLayout, tables: BatchTables) -> list[tuple[str, str]]:
    """The statements that stage one file, in order, each with what it makes. The text is cleaned
    in a subquery the planner keeps apart (offset 0), so each cleaned value is computed once per
    row even though the typed values read it; the failures are a second step, so the rule checks
    are built for the failing rows alone and both steps can run on parallel workers."""
    header = layout.header
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
    nip_joins = " ".join(_nip_validity_join(c, header, tables.typed) for c in source.columns if c.type == "nip")
    text_sql = (_native_text_sql if layout.native else _lines_text_sql)(layout, cleaned)
    typed = f"create unlogged table {tables.typed} as select *, {', '.join(values)} from"
    made = [
        ("text", f"create unlogged table {tables.text} as {text_sql}"),
        ("typed", f"{typed} {_punches_sql(day, tables.text)}"),
    ] if day else [("text, typed", f"{typed} ({text_sql} offset 0) text")]
    return made + [
        # Clean rows only pass the conditions; failures are built for the failing rows alone.
        ("failures", f"""create unlogged table {tables.failures} as
            select {"distinct" if day else ""} row_number, (f).* from (
                select row_number,
                       unnest(case when n_fields <> {header.width} then array[{field_count}]
                                   else array[{failures}]::meta.rule_failure[] end) as f
                from {tables.typed} {nip_joins}
                where n_fields <> {header.width} or {failing}
            ) checked
            where not (f is null)  -- a failure with a null value is still a failure"""),
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


def _not_blank(first: str, text: str, blank_pattern: str, delimiter: str | None = None) -> str:
    """SQL true when a record's `text` does not match `blank_pattern` (only spaces, or delimiters
    too). Nearly every record's `first` value starts with a printable ASCII character other than
    the delimiter, which proves it: that test is cheap, and the regex runs for the few others."""
    code = f"ascii({first})"
    printable = f"{code} between 33 and 126" + (f" and {code} <> {ord(delimiter)}" if delimiter else "")
    return f"({printable} or {text} !~ {_literal(blank_pattern)})"


def _native_text_sql(layout: FileLayout, cleaned) -> str:
    """Cleaned text of the records COPY parsed (all of the header's width); blank ones skipped."""
    fields = field_names(layout.header.width)
    not_blank = _not_blank(fields[0], f"concat({', '.join(fields)})", "^\\s*$")
    return f"""select row_number, {layout.header.width} as n_fields, {cleaned("f{k}")}
               from {layout.lines_table}
               where {not_blank}"""


def _lines_text_sql(layout: FileLayout, cleaned) -> str:
    """Cleaned text of the records of raw lines. Records without quotes (nearly all) are cut with
    split_part; the few with quotes are split once each by the CSV-aware parse.csv_fields."""
    delim = _literal(layout.delimiter)
    blank_plain = f"^[\\s{layout.delimiter}]*$"  # only spaces and delimiters
    return f"""
        select row_number, {"rec as raw_row," if layout.multiline else ""}
               length(rec) - length(replace(rec, {delim}, '')) + 1 as n_fields,
               {cleaned(f"split_part(rec, {delim}, {{k}})")}
        from ({_records_sql(layout)}) plain
        where strpos(rec, '"') = 0 and {_not_blank("rec", "rec", blank_plain, layout.delimiter)}
        union all
        select row_number, {"rec," if layout.multiline else ""} cardinality(f), {cleaned("f[{k}]")}
        from (
            select row_number, rec, parse.csv_fields(rec, {delim}) as f
            from ({_records_sql(layout)}) quoted
            where strpos(rec, '"') > 0
            offset 0
        ) fields
        where array_to_string(f, '') !~ '^\\s*$'"""


def raw_rows_sql(layout: FileLayout, tables: BatchTables) -> str:
    """(row_number, raw_row): each record as read. Native: rebuilt from its fields, quoted where
    CSV needs it (an empty quoted value stays ""). Lines: a record is its line unless quoted line
    breaks joined lines, so only then is the text kept in the work table."""
    if layout.native:
        delim = _literal(layout.delimiter)
        quoted = [
            f"case when {f} = '' or strpos({f}, '\"') > 0 or strpos({f}, {delim}) > 0"
            f" or strpos({f}, E'\\n') > 0 then '\"' || replace({f}, '\"', '\"\"') || '\"' else {f} end"
            for f in field_names(layout.header.width)
        ]
        return (f"select row_number, array_to_string(array[{', '.join(quoted)}], {delim}, '') as raw_row"
                f" from {layout.lines_table}")
    if layout.multiline:
        return f"select row_number, raw_row from {text_rows(layout, tables)}"
    return f"select line_no as row_number, line as raw_row from {layout.lines_table}"
