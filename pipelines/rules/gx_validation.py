"""Great Expectations suites (package pipelines.expectations) on a run's staged batch.

They run once every file is loaded and before the set rules move failing rows out of staging, so
the results record what the data looked like: one row of meta.validation_result per expectation
evaluated, over all of a source's files in the run (file_name null). They find no rows: the SQL
rules do that (GX's unexpected lists stop at 200). Severities are applied here, not by GX (which
counts a failed warning as a failure): see `ExpectationResult.refuses`.

One ephemeral GX context per call, with nothing stored (in-memory stores, no Data Docs); a batch
is a source's staging partition of the run. Great Expectations is imported inside
`validate_staged` only: it costs about 3 s and 230 MB.
"""

from __future__ import annotations

import json
import logging
import re
import warnings
from dataclasses import dataclass, field
from importlib import import_module

from pipelines.errors import KinerjaError
from pipelines.load.file_loader import staging_partition
from pipelines.period import Period
from pipelines.rules.catalog import FILE
from pipelines.rules.columns import sources
from pipelines.warehouse import connection, warehouse_url

# Rows of an UnexpectedRowsExpectation kept in `details`, as many as GX keeps of a column's list.
PARTIAL_ROWS = 20
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
        present = [name for name in sources() if counts[name]]
        results = _run_suites(libpq, run_id, period, {name: counts[name] for name in present})
        _record(conn, run_id, period, results)
    return results


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


def _run_suites(libpq: str, run_id: int, period: Period, counts: dict[str, int]) -> list[ExpectationResult]:
    gx = _import_gx()
    from great_expectations.data_context.types.base import (
        DataContextConfig, InMemoryStoreBackendDefaults, ProgressBarsConfig,
    )
    from great_expectations.expectations import UnexpectedRowsExpectation

    from pipelines.expectations.common import Scope

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
            suite = import_module(f"pipelines.expectations.{name}").build(scope)
            # The run's partition of staging.<source> holds exactly `select * from staging.<source>
            # where run_id = N`. Not a query asset: GX reads a query's columns by running it whole,
            # fetching every row into this process (150 MB for a 15,000-employee month's punches).
            table = staging_partition(name, run_id).removeprefix("staging.")
            asset = warehouse.add_table_asset(name, table_name=table)
            batch = asset.add_batch_definition_whole_table("run").get_batch()
            # Column expectations give their partial lists in BASIC; SQL ones give their rows
            # (at most 200, fetched in any format) only in COMPLETE.
            by_sql = [e for e in suite.expectations if isinstance(e, UnexpectedRowsExpectation)]
            by_column = [e for e in suite.expectations if not isinstance(e, UnexpectedRowsExpectation)]
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
    columns = [kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs] or [meta.get("column", "")]
    details = {"kwargs": kwargs, "result": result}
    for key in ("description", "when"):
        if config.get(key) or meta.get(key):
            details[key] = config.get(key) or meta.get(key)
    exception = _exception_message(evr.exception_info or {})
    if exception:
        details["exception"] = exception
    return ExpectationResult(
        source=source,
        expectation=f"{config['type']}({', '.join(columns)})",
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
