"""Load benchmark (`make bench`): staging a generated month against a bare COPY of the same files.

Prints figures, asserts nothing. Scale with BENCH_EMPLOYEES (150000 is a province-scale month,
about 7.5 M rows). The warehouse is a fresh embedded PostgreSQL under a temporary folder.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pipelines import warehouse
from pipelines.land.discover import discover
from pipelines.land.sniff import sniff_csv
from pipelines.period import Period
from pipelines.rules.columns import sources

PERIOD = os.environ.get("BENCH_PERIOD", "2026-10")
EMPLOYEES = int(os.environ.get("BENCH_EMPLOYEES", "15000"))


def kinerja(*args: str) -> float:
    """Run `kinerja` in a child process; returns the seconds it took."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pipelines", *args], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def bare_copy_seconds(url: str, landing: Path) -> tuple[float, int, int]:
    """COPY every CSV file as plain CSV into a table of text columns: (seconds, files, rows)."""
    files = [f for f in discover(landing, Period.parse(PERIOD), list(sources())).files if f.kind == "csv"]
    seconds = rows = 0
    with warehouse.connection(url) as conn, conn.cursor() as cur:
        for number, file in enumerate(files):
            fmt = sniff_csv(file.path)
            with open(file.path, encoding="utf-8-sig" if fmt.encoding == "UTF8" else "cp1252") as handle:
                width = len(handle.readline().split(fmt.delimiter))
            columns = ", ".join(f"c{i} text" for i in range(width))
            cur.execute(f"create unlogged table bare_{number} ({columns})")
            start = time.perf_counter()
            with open(file.path, "rb") as handle:
                cur.copy_expert(
                    f"copy bare_{number} from stdin with (format csv, header, delimiter '{fmt.delimiter}',"
                    f" encoding '{fmt.encoding}')",
                    handle,
                    size=1 << 20,
                )
            seconds += time.perf_counter() - start
            rows += cur.rowcount
            conn.commit()
    return seconds, len(files), rows


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="kinerja-bench-") as tmp:
        landing = Path(tmp) / "landing"
        os.environ[warehouse.URL_ENV] = url = warehouse.embedded_url(Path(tmp) / "pgdata")
        gen = kinerja("generate", "--period", PERIOD, "--employees", str(EMPLOYEES), "--out", str(landing))
        size = sum(p.stat().st_size for p in landing.rglob("*") if p.is_file())
        print(f"generated {EMPLOYEES:,} employees, {size / 2**20:,.0f} MiB in {gen:.1f} s")

        bare, files, rows = bare_copy_seconds(url, landing)
        print(f"bare COPY of {files} CSV files: {rows:,} rows in {bare:.2f} s ({rows / bare:,.0f} rows/s)")

        kinerja("run", "--period", PERIOD, "--landing", str(landing))  # first run: migrations, warm cache
        full = kinerja("run", "--period", PERIOD, "--landing", str(landing))
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"kinerja run (all files, XLSX included): {full:.2f} s = {full / bare:.1f} x the bare COPY")
        print(f"peak memory of any kinerja process: {peak:,.0f} MiB (PostgreSQL's own not included)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
