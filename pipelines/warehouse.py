"""The PostgreSQL warehouse: `KINERJA_WAREHOUSE_URL`, or an embedded server in a local data folder.

Migrations under sql/migrations are applied in file-name order, each exactly once, under an
advisory lock so concurrent runs (Airflow tasks) never apply one twice.
"""

from __future__ import annotations

import hashlib
import os
import re
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import psycopg2
import psycopg2.extensions

from pipelines.errors import KinerjaError, UsageError
from pipelines.resources import sql_dir

URL_ENV = "KINERJA_WAREHOUSE_URL"
HOME_ENV = "KINERJA_HOME"
ROLE_PREFIX_ENV = "KINERJA_ROLE_PREFIX"  # names of the roles migration 0010 creates (default kinerja_)
_MIGRATION_LOCK = 4_711_001  # advisory lock key, any constant shared by all runs
# Every session reads and shows times in WIB; parsing never relies on DateStyle (explicit formats).
# A run is a batch job: its hash joins and aggregates over a month of punches (and the sorts of
# its window functions) stay in memory instead of spilling at the 4 MB default.
_SESSION_OPTIONS = (
    "-c timezone=Asia/Jakarta -c datestyle=ISO,DMY -c work_mem=128MB -c maintenance_work_mem=512MB"
)
# The embedded server's settings for a batch job that can be re-run: checkpoints spread over a
# month's load rather than forced by WAL volume, and commits that do not wait for the disk (a
# crash may lose the last commits, never half of one). Applied at start (reloadable settings).
_EMBEDDED_SETTINGS = {
    "max_wal_size": "4GB",
    "checkpoint_timeout": "30min",
    "synchronous_commit": "off",
}

# The storage of a run's own tables (its partitions, its raw work tables): written once and
# ANALYZEd by the run itself. Autovacuum would vacuum a month of fresh rows while the run needs
# the cores, and a DROP of a table it is vacuuming waits deadlock_timeout (1 s) for it to give
# way. Anti-wraparound vacuums still run; prune vacuums what it deletes from.
RUN_TABLE_STORAGE = " with (autovacuum_enabled = false)"

_embedded = {}


def data_home() -> Path:
    return Path(os.environ.get(HOME_ENV, ".kinerja")).resolve()


def warehouse_url() -> str:
    """The libpq URL of the warehouse; starts the embedded server when none is configured."""
    url = os.environ.get(URL_ENV)
    if url:
        # SQLAlchemy spells the driver into the scheme (postgresql+psycopg2://); libpq does not.
        return re.sub(r"^postgres(ql)?\+\w+://", "postgresql://", url)
    return embedded_url(data_home() / "pgdata")


def embedded_url(pgdata: Path) -> str:
    """Start (or reuse) the embedded PostgreSQL of `pgdata`; it stops when this process ends."""
    key = str(pgdata)
    if key not in _embedded:
        import warnings

        # pgserver asks platformdirs for a runtime folder it does not need here; keep output clean.
        warnings.filterwarnings("ignore", module="platformdirs")
        import pgserver  # only needed when no warehouse URL is configured

        pgdata.mkdir(parents=True, exist_ok=True)
        server = pgserver.get_server(pgdata, cleanup_mode="stop")
        tune_embedded(server.get_uri())
        _embedded[key] = server
    return _embedded[key].get_uri()


def tune_embedded(url: str) -> None:
    """Give an embedded server the batch settings (once: they are kept in its data folder)."""
    conn = psycopg2.connect(url)
    try:
        conn.autocommit = True  # ALTER SYSTEM runs outside a transaction
        with conn.cursor() as cur:
            cur.execute("select name, current_setting(name) from unnest(%s::text[]) name", (list(_EMBEDDED_SETTINGS),))
            current = dict(cur.fetchall())
            changed = [name for name, value in _EMBEDDED_SETTINGS.items() if current[name] != value]
            for name in changed:
                cur.execute(f"alter system set {name} = %s", (_EMBEDDED_SETTINGS[name],))
            if changed:
                cur.execute("select pg_reload_conf()")
    finally:
        conn.close()


def connect(url: str | None = None) -> psycopg2.extensions.connection:
    url = url or warehouse_url()
    try:
        return psycopg2.connect(url, options=_SESSION_OPTIONS)
    except psycopg2.OperationalError as exc:
        raise KinerjaError(
            f"cannot connect to the warehouse ({redact(exc.args[0].strip(), url)}); check {URL_ENV} "
            "or unset it to use the embedded PostgreSQL"
        ) from None  # the chained error could carry the URL, password included


def redact(text: str, url: str | None = None) -> str:
    """`text` without the warehouse URL's password (as written and percent-decoded)."""
    url = url or os.environ.get(URL_ENV, "")
    found = re.match(r"^[\w+.-]+://[^:/@?#]*:([^@/?#]+)@", url)
    if not found:
        return text
    from urllib.parse import unquote

    for secret in {found[1], unquote(found[1])}:
        text = text.replace(secret, "***")
    return text


@contextmanager
def connection(url: str | None = None) -> Iterator[psycopg2.extensions.connection]:
    conn = connect(url)
    try:
        yield conn
    finally:
        conn.close()


def location() -> str:
    """Where the warehouse is, as the operator set it: the warehouse URL without its password, or
    the KINERJA_HOME folder of the embedded server."""
    url = os.environ.get(URL_ENV)
    if url:
        shown = re.sub(r"(://[^:/@?]*):[^@/?]*@", r"\1@", url)
        return f"{URL_ENV}={re.sub(r'password=[^&]*', 'password=***', shown)}"
    return f"{HOME_ENV}={data_home()}"


def nothing_published() -> UsageError:
    """Readers of published data on a warehouse without any published period (a wrong or empty
    KINERJA_HOME, another database): say so, and where it was looked for (exit 2)."""
    return UsageError(
        f"no period is published in this warehouse ({location()}) — belum ada periode yang diterbitkan"
        f" di gudang data ini; set {HOME_ENV} (or {URL_ENV}) to the warehouse `kinerja run` wrote,"
        " or publish a period with `kinerja run --period YYYY-MM --landing DIR` first"
    )


@contextmanager
def published_data() -> Iterator[psycopg2.extensions.connection]:
    """A connection for commands that only read published data. An embedded warehouse must exist
    already: a mistyped KINERJA_HOME is told, not answered with a new, empty server."""
    if not os.environ.get(URL_ENV) and not (data_home() / "pgdata" / "PG_VERSION").exists():
        raise nothing_published()
    with connection() as conn:
        with conn.cursor() as cur:
            cur.execute("select to_regclass('meta.published_period') is not null")
            ready = cur.fetchone()[0]
            if ready:
                cur.execute("select exists (select from meta.published_period)")
                ready = cur.fetchone()[0]
        conn.rollback()
        if not ready:
            raise nothing_published()
        yield conn


def migrations() -> list[tuple[str, str]]:
    """(version file name, SQL text) in the order they apply."""
    folder = sql_dir("migrations")
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".sql"))
    return [(name, (folder / name).read_text(encoding="utf-8")) for name in names]


def migrate(conn: psycopg2.extensions.connection) -> list[str]:
    """Apply pending migrations; returns the versions applied now."""
    applied_now = []
    with conn, conn.cursor() as cur:
        cur.execute("select pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
        cur.execute("select set_config('kinerja.role_prefix', %s, true)",
                    (os.environ.get(ROLE_PREFIX_ENV, "kinerja_"),))
        cur.execute("select to_regclass('public.schema_migration') is null")
        if cur.fetchone()[0]:  # checked first: the loader role may not create in schema public
            cur.execute(
                "create table public.schema_migration ("
                " version text primary key, sha256 text not null,"
                " applied_at timestamptz not null default clock_timestamp())"
            )
        cur.execute("select version, sha256 from public.schema_migration")
        done = dict(cur.fetchall())
        for version, text in migrations():
            digest = hashlib.sha256(text.encode()).hexdigest()
            if version in done:
                if done[version] != digest:
                    raise KinerjaError(
                        f"migration {version} was changed after it was applied; "
                        "add a new migration file instead of editing an applied one"
                    )
                continue
            cur.execute(text)
            cur.execute(
                "insert into public.schema_migration (version, sha256) values (%s, %s)",
                (version, digest),
            )
            applied_now.append(version)
        if applied_now:
            apply_privileges(cur)
    return applied_now


def apply_privileges(cur) -> None:
    """Grants and row-level security on every pipeline table, new ones included (migration 0010)."""
    cur.execute("select to_regprocedure('access.apply_privileges()') is not null")
    if cur.fetchone()[0]:
        cur.execute("call access.apply_privileges()")
