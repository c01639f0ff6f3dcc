"""No SQL is built from data values: every value goes to the server as a query parameter. The few
statements that splice text in splice identifiers only — table names the code itself spells, or
that PostgreSQL quoted (format('%I')), or config names that must be plain identifiers."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from pipelines.rules.columns import sources

ROOT = Path(__file__).resolve().parents[2]
# What an f-string handed to cursor.execute may splice in: names, never a value read from a file.
IDENTIFIERS = {
    "table", "name", "lines", "mart", "source", "model", "rule.failing", "rows",  # code-spelled or %I-quoted
    "staging_partition(file.source, run.run_id)", "staging_partition(name, run.run_id)",
    "partition(table, run.run_id)", "partition(model, run.run_id)", "partition(table, run_id)",
    "'view' if is_view else 'table'", "where", "tables.text", "tables.failures", "tables.typed",
    "raw_rows_view(run.run_id, file.file_no)", "raw_rows_view(params['run'], file_no)", "file.file_no",
    "raw_rows_sql(layout, tables)", "staging_partition(source.name, run.run_id)",
    "', '.join(names)", "', '.join(values)",  # config column names, and their config defaults
    "', '.join((f'{n} text' for n in names))",  # the code's own field names f1..fN
    "_UNITS_WITH_ROWS[source]", "who", "unit", "join", "_HELD", "RUN_TABLE_STORAGE",  # SQL fragments the code spells
    "named_nips_sql(raw_rows_view(args['run'], args['file_no']), 'raw_row')",
    "rule.source", "rule.column", "rule.code", "template",  # the rule catalog (template quote-escaped)
}


def spliced() -> list[tuple[str, str]]:
    found = []
    for path in sorted((ROOT / "pipelines").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in ast.walk(tree):
            if (isinstance(call, ast.Call) and getattr(call.func, "attr", None) == "execute"
                    and call.args and isinstance(call.args[0], ast.JoinedStr)):
                for part in call.args[0].values:
                    if isinstance(part, ast.FormattedValue):
                        found.append((f"{path.relative_to(ROOT)}:{call.lineno}", ast.unparse(part.value)))
    return found


def test_sql_splices_identifiers_only():
    unknown = [(where, expr) for where, expr in spliced() if expr not in IDENTIFIERS]
    assert unknown == [], "pass values as parameters (%s) and quote names with psycopg2.sql or format('%I')"


def test_source_names_from_config_are_plain_identifiers():
    """They name staging tables in SQL text: a name that needs quoting is refused here."""
    for name, source in sources().items():
        assert re.fullmatch(r"[a-z][a-z0-9_]*", name), name
        for column in source.columns:
            assert re.fullmatch(r"[a-z][a-z0-9_]*", column.name), (name, column.name)
            assert re.fullmatch(r"[A-Z0-9_]*", column.default or ""), (name, column.name, column.default)
