"""A PostgreSQL server of one test's own (the pgserver wheel's binaries), for what the shared
session server must not suffer: being crashed, or refusing logins without the right password."""

from __future__ import annotations

import warnings
from pathlib import Path

# pgserver asks platformdirs for a runtime folder it does not need (as pipelines/warehouse.py does)
warnings.filterwarnings("ignore", module="platformdirs")
import pgserver  # noqa: E402
from pgserver import _commands  # noqa: E402


class PrivateServer:
    def __init__(self, folder: Path):
        self.pgdata = folder / "pgdata"
        self.server = pgserver.get_server(self.pgdata, cleanup_mode="stop")

    def url(self, database: str = "postgres", user: str = "postgres", password: str = "") -> str:
        base = self.server.get_uri(database=database)
        return base.replace("postgresql://postgres:@", f"postgresql://{user}:{password}@", 1)

    def crash(self) -> None:
        """Stop as a crash does: every session cut at once, no checkpoint (recovery on restart)."""
        _commands.pg_ctl(["-w", "-m", "immediate", "stop"], pgdata=self.pgdata, user=self.server.system_user)

    def restart(self) -> None:
        self.server.ensure_postgres_running()

    def require_passwords(self) -> None:
        """From now on every login must give its password (SCRAM), also over the local socket."""
        (self.pgdata / "pg_hba.conf").write_text("local all all scram-sha-256\n")
        self.server.psql("select pg_reload_conf();")

    def stop(self) -> None:
        """Stopped now (what pgserver would do at exit; it then has nothing left to do)."""
        self.server._cleanup()
