"""Great Expectations suites (package pipelines.expectations) on a run's staged batch.

They run once every file is loaded and before the set rules move failing rows out of staging, so
the results record what the data looked like: one row of meta.validation_result per expectation
evaluated, over all of a source's files in the run (file_name null). They find no rows: the SQL
rules do that (GX's unexpected lists stop at 200). Severities are applied here, not by GX (which
counts a failed warning as a failure): see `ExpectationResult.refuses`.

A run evaluates each suite as one SQL statement per source (`pipelines.rules.expectation_sql`):
GX itself scans a partition once per expectation and costs about 3 s and 230 MB to import, more
than staging a city's month. With KINERJA_EXPECTATIONS=gx the suites run in Great Expectations
instead (imported then only): one ephemeral context per call, with nothing stored (in-memory
stores, no Data Docs), a batch being a source's staging partition of the run. Both record the same
results; the tests hold them to each other on real data.
"""

from __future__ import annotations

import json
import logging
import os
import re
import warnings
from dataclasses import dataclass, field
from importlib import import_module

import psycopg2

from pipelines.errors import KinerjaError
from pipelines.expectations.common import Scope, Suite
from pipelines.load.file_loader import staging_partition
from pipelines.period import Period
from pipelines.rules.catalog import FILE
from pipelines.rules.columns import sources
from pipelines.rules.expectation_sql import PARTIAL, suite_sql
from pipelines.warehouse import connection, warehouse_url
from pipelines.workers import each_on_connections, workers

ENGINE_ENV = "KINERJA_EXPECTATIONS"  # "gx": run the suites in Great Expectations
# Rows of an UnexpectedRowsExpectation kept in `details`, as many as GX keeps of a column's list.
PARTIAL_ROWS = PARTIAL
# GX's sessions show times in WIB like ours (the suites' SQL never relies on it) and find the
# staging partitions by name (a table asset's schema_name is deprecated).
_SESSION = {"connect_args": {"options": "-c timezone=Asia/Jakarta -c search_path=staging"}}
_RESULT_FORMAT = {"result_format": "BASIC", "partial_unexpected_count": PARTIAL_ROWS}


@dataclass(frozen=True)
class ExpectationResult:
    """One evaluated expectation, as recorded in meta.validation_result."""

    source: str
    expectation: str  # its type and column(s), e.g. expect_column_values_to_be_unique(ticket_id)
    rule: str  # the rule code of pipelines/rules/catalog.py
    severity: str  # critical, row or warning (catalog.severity)
    success: bool
    unexpected_count: int | None
    element_count: int | None
    details: dict = field(repr=False, default_factory=dict)

    @property
    def refuses(self) -> bool:
        """Whether this result is a reason to refuse: a failed critical expectation only. A failed
        row expectation's rows are rejected by the SQL rules; a failed warning is reported only."""
        return not self.success and self.severity == FILE


def validate_staged(url: str | None, run_id: int, period: Period) -> list[ExpectationResult]:
    """Run every source's suite on the run's staged rows and record one row per expectation in
    meta.validation_result (replacing the run's earlier results: a retry is safe). Sources without
    rows in the run are skipped and record nothing."""
    libpq = url or warehouse_url()
    with connection(libpq) as conn:
        counts = _row_counts(conn, run_id)
        present = {name: counts[name] for name in sources() if counts[name]}
        if os.environ.get(ENGINE_ENV) == "gx":
            results = run_in_gx(libpq, run_id, period, present)
        else:
            results = run_in_sql(libpq, run_id, period, present)
        _record(conn, run_id, period, results)
    return results


def build_suite(name: str, scope: Scope) -> Suite:
    return import_module(f"pipelines.expectations.{name}").build(scope)


def run_in_sql(url: str, run_id: int, period: Period, counts: dict[str, int]) -> list[ExpectationResult]:
    """Each source's suite as one SQL statement on its staging partition, workers() sources at
    once (the largest first: attendance takes about as long as the rest together)."""
    scope = Scope(run_id, period)
    largest_first = sorted(counts.items(), key=lambda item: item[1], reverse=True)

    def evaluate(conn, item: tuple[str, int]) -> list[ExpectationResult] | str:
        name, rows = item
        suite = build_suite(name, scope)
        try:
            with conn, conn.cursor() as cur:
                cur.execute(suite_sql(suite, staging_partition(name, run_id)))
                outcomes = cur.fetchone()
        except psycopg2.Error as exc:
            return f"{name}: {(exc.diag.message_primary or str(exc)).strip()}"
        return [_sql_result(name, e, o, rows) for e, o in zip(suite.expectations, outcomes)]

    evaluated = dict(zip((name for name, _ in largest_first),
                         each_on_connections(url, largest_first, evaluate, workers())))
    broken = [outcome for outcome in evaluated.values() if isinstance(outcome, str)]
    if broken:
        raise KinerjaError("validation suites could not run: " + "; ".join(broken))
    return [result for name in counts for result in evaluated[name]]


def _sql_result(source: str, e, outcome: dict, rows: int) -> ExpectationResult:
    unexpected = outcome["unexpected"]
    if e.type == "unexpected_rows_expectation":
        elements = rows
        result = {"observed_value": unexpected, "partial_unexpected_rows": outcome["partial"]}
    else:
        elements = outcome["elements"]
        result = {
            "element_count": elements, "unexpected_count": unexpected,
            "unexpected_percent": 100.0 * unexpected / elements if elements else None,
            "partial_unexpected_list": outcome["partial"],
        }
    return ExpectationResult(
        source=source, expectation=_name(e.type, e.kwargs, e.meta), rule=e.meta["rule"],
        severity=e.meta["severity"], success=unexpected == 0, unexpected_count=unexpected,
        element_count=elements, details=_details(e.kwargs, result, e.description, e.meta),
    )


def _name(kind: str, kwargs: dict, meta: dict) -> str:
    """The expectation as recorded: its type and column(s), e.g. expect_column_values_to_be_unique(ticket_id)."""
    columns = [kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs] or [meta.get("column", "")]
    return f"{kind}({', '.join(columns)})"


def _details(kwargs: dict, result: dict, description: str | None, meta: dict) -> dict:
    details = {"kwargs": kwargs, "result": result}
    if description:
        details["description"] = description
    if meta.get("when"):
        details["when"] = meta["when"]
    return details


def sqlalchemy_url(url: str) -> str:
    """A libpq URL (`postgresql://…`, `postgres://…`, pgserver's `…?host=/socket/dir`) or any
    SQLAlchemy PostgreSQL URL as the psycopg2 SQLAlchemy URL GX needs; the rest is kept as is."""
    spelled, count = re.subn(r"^postgres(?:ql)?(?:\+\w+)?://", "postgresql+psycopg2://", url)
    if not count:
        raise KinerjaError(f"the warehouse URL must start with postgresql:// (got {url.split(':', 1)[0]}:…)")
    return spelled


def _row_counts(conn, run_id: int) -> dict[str, int]:
    with conn, conn.cursor() as cur:
        cur.execute(
            " union all ".join(
                f"select '{name}', count(*) from staging.{name} where run_id = %(run)s" for name in sources()
            ),
            {"run": run_id},
        )
        return dict(cur.fetchall())


def run_in_gx(libpq: str, run_id: int, period: Period, counts: dict[str, int]) -> list[ExpectationResult]:
    """Each source's suite in Great Expectations, on its staging partition."""
    gx = _import_gx()
    from great_expectations.data_context.types.base import (
        DataContextConfig, InMemoryStoreBackendDefaults, ProgressBarsConfig,
    )
    from great_expectations.expectations import UnexpectedRowsExpectation

    # In-memory stores and no Data Docs site; no progress bars.
    context = gx.get_context(mode="ephemeral", project_config=DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
    ))
    with warnings.catch_warnings():  # "a more specific PostgresDatasource may be more appropriate":
        warnings.simplefilter("ignore")  # it rejects pgserver's socket URL, add_sql does not
        warehouse = context.data_sources.add_sql(
            "warehouse", connection_string=sqlalchemy_url(libpq), kwargs=_SESSION
        )
    scope = Scope(run_id, period)
    results: list[ExpectationResult] = []
    try:
        for name, rows in counts.items():
            suite = [e.to_gx() for e in build_suite(name, scope).expectations]
            # The run's partition of staging.<source> holds exactly `select * from staging.<source>
            # where run_id = N`. Not a query asset: GX reads a query's columns by running it whole,
            # fetching every row into this process (150 MB for a 15,000-employee month's punches).
            table = staging_partition(name, run_id).removeprefix("staging.")
            asset = warehouse.add_table_asset(name, table_name=table)
            batch = asset.add_batch_definition_whole_table("run").get_batch()
            # Column expectations give their partial lists in BASIC; SQL ones give their rows
            # (at most 200, fetched in any format) only in COMPLETE.
            by_sql = [e for e in suite if isinstance(e, UnexpectedRowsExpectation)]
            by_column = [e for e in suite if not isinstance(e, UnexpectedRowsExpectation)]
            for part, result_format in ((by_column, _RESULT_FORMAT), (by_sql, "COMPLETE")):
                if part:
                    outcome = batch.validate(gx.ExpectationSuite(name=name, expectations=part),
                                             result_format=result_format)
                    results.extend(_result(name, r, rows) for r in outcome.results)
    finally:
        warehouse.get_execution_engine().engine.dispose()
    broken = [f"{r.source} {r.expectation}: {r.details['exception']}" for r in results if "exception" in r.details]
    if broken:
        raise KinerjaError("validation suites could not run: " + "; ".join(broken))
    return results


def _import_gx():
    """Great Expectations, imported now and quiet: no progress bars, no INFO logging."""
    import great_expectations as gx

    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    return gx


def _result(source: str, evr, rows: int) -> ExpectationResult:
    config = evr.expectation_config.to_json_dict()
    meta, kwargs = config.get("meta") or {}, config["kwargs"]
    kwargs.pop("batch_id", None)
    outcome = evr.to_json_dict()
    result = outcome.get("result") or {}
    if config["type"] == "unexpected_rows_expectation":
        # observed_value counts the rows the query returned; GX gives no element count.
        unexpected, elements = result.get("observed_value"), rows
        unexpected_rows = (result.pop("details", None) or {}).get("unexpected_rows") or []
        result["partial_unexpected_rows"] = unexpected_rows[:PARTIAL_ROWS]
    else:
        unexpected, elements = result.get("unexpected_count"), result.get("element_count", rows)
    details = _details(kwargs, result, config.get("description") or meta.get("description"), meta)
    exception = _exception_message(evr.exception_info or {})
    if exception:
        details["exception"] = exception
    return ExpectationResult(
        source=source,
        expectation=_name(config["type"], kwargs, meta),
        rule=meta["rule"],
        severity=meta["severity"],
        success=bool(evr.success),
        unexpected_count=unexpected,
        element_count=elements,
        details=details,
    )


def _exception_message(info: dict) -> str | None:
    """GX reports an expectation's own error flat, and errors of the metrics it needs (a query
    that fails) keyed by metric."""
    infos = [info] if "raised_exception" in info else [i for i in info.values() if isinstance(i, dict)]
    messages = [i.get("exception_message") or "error" for i in infos if i.get("raised_exception")]
    return "; ".join(dict.fromkeys(messages)) or None


def _record(conn, run_id: int, period: Period, results: list[ExpectationResult]) -> None:
    with conn, conn.cursor() as cur:
        cur.execute("delete from meta.validation_result where run_id = %s", (run_id,))
        cur.executemany(
            """insert into meta.validation_result (run_id, period, source, file_name, expectation, rule,
                   severity, success, unexpected_count, element_count, details)
               values (%s, %s, %s, null, %s, %s, %s, %s, %s, %s, %s)""",
            [
                (run_id, str(period), r.source, r.expectation, r.rule, r.severity, r.success,
                 r.unexpected_count, r.element_count, json.dumps(r.details, default=str))
                for r in results
            ],
        )
