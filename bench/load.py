"""Benchmark (`make bench`): a whole run of a generated month against a bare COPY of the same files.

Prints figures, asserts nothing: for a city month (15,000 employees) and, in the same run, the
BENCH_EMPLOYEES scale when it is another (150000 is a province-scale month, about 7.5 M rows),
then the wall time of each step of the run at each scale (KINERJA_TIMINGS). The warehouse is a
fresh embedded PostgreSQL under a temporary folder, tuned as `kinerja` tunes its own.
"""

from __future__ import annotations

import os
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
from pipelines.timing import TIMINGS_ENV

PERIOD = os.environ.get("BENCH_PERIOD", "2026-10")
CITY = 15_000
EMPLOYEES = int(os.environ.get("BENCH_EMPLOYEES", str(CITY)))


# Runs one command and reports its own peak memory (RUSAGE_CHILDREN of a fresh parent).
_MEASURED = (
    "import resource, subprocess, sys;"
    "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL);"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)"
)


def kinerja(*args: str) -> tuple[float, int]:
    """Run `kinerja` in a child process: (seconds it took, its peak memory in MiB)."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _MEASURED, sys.executable, "-m", "pipelines", *args],
        capture_output=True, text=True,
    )
    if done.returncode:
        sys.exit(f"kinerja {' '.join(args)} failed:\n{done.stderr}")
    return time.perf_counter() - start, int(done.stdout.split()[-1])


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
            cur.execute(f"drop table bare_{number}")  # the next scale copies into the same names
            conn.commit()
    return seconds, len(files), rows


def main() -> int:
    import warnings

    warnings.filterwarnings("ignore", module="platformdirs")  # pgserver's runtime-folder notice
    import pgserver

    with tempfile.TemporaryDirectory(prefix="kinerja-bench-") as tmp:
        server = pgserver.get_server(Path(tmp) / "pgdata", cleanup_mode="delete")
        try:
            warehouse.tune_embedded(server.get_uri())  # as `kinerja` tunes its embedded server
            _measure(Path(tmp), server.get_uri())
        finally:
            server.cleanup()  # before the folder goes, or the server outlives its data
    return 0


def _measure(tmp: Path, url: str) -> None:
    os.environ[warehouse.URL_ENV] = url
    steps = {}
    for employees in dict.fromkeys([CITY, EMPLOYEES]):
        print(f"-- {employees:,} employees")
        steps[employees] = _measure_scale(tmp / f"landing-{employees}", url, employees)
    print_steps(steps)


def _measure_scale(landing: Path, url: str, employees: int) -> dict[str, tuple[int, float]]:
    gen, gen_peak = kinerja("generate", "--period", PERIOD, "--employees", str(employees), "--out", str(landing))
    size = sum(p.stat().st_size for p in landing.rglob("*") if p.is_file())
    print(f"generated {employees:,} employees, {size / 2**20:,.0f} MiB in {gen:.1f} s ({gen_peak:,} MiB peak)")

    bare, files, rows = bare_copy_seconds(url, landing)
    print(f"bare COPY of {files} CSV files: {rows:,} rows in {bare:.2f} s ({rows / bare:,.0f} rows/s)")

    kinerja("run", "--period", PERIOD, "--landing", str(landing))  # first run: migrations, warm cache
    timings = landing.parent / f"timings-{employees}.tsv"
    os.environ[TIMINGS_ENV] = str(timings)
    load = os.getloadavg()[0]
    full, peak = kinerja("run", "--period", PERIOD, "--landing", str(landing))
    del os.environ[TIMINGS_ENV]
    print(f"kinerja run (all files, XLSX included): {full:.2f} s = {full / bare:.1f} x the bare COPY"
          f" (load average {load:.1f} before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores)")
    with warehouse.connection(url) as conn, conn.cursor() as cur:
        cur.execute(
            "select extract(epoch from staged_at - started_at), extract(epoch from finished_at - staged_at)"
            " from meta.run order by run_id desc limit 1"
        )
        stage, score = cur.fetchone()
    print(f"  of which staging (load, type, validate) {stage:.2f} s, scoring and publishing {score:.2f} s")
    print(f"peak memory of kinerja run: {peak:,} MiB (PostgreSQL's own not included)")
    steps = {"bare COPY (the floor)": (files, bare), "whole kinerja run": (1, full)}
    for line in timings.read_text(encoding="utf-8").splitlines():
        name, took = line.split("\t")
        times, seconds = steps.get(name, (0, 0.0))
        steps[name] = (times + 1, seconds + float(took))
    return steps


def print_steps(steps: dict[int, dict[str, tuple[int, float]]]) -> None:
    """Each step's seconds (summed over files where it runs per file) at each scale."""
    scales = list(steps)
    names = list(dict.fromkeys(name for by_name in steps.values() for name in by_name))
    print("| step | " + " | ".join(f"{n:,} employees" for n in scales) + " |")
    print("|---|" + "---|" * len(scales))
    for name in names:
        cells = []
        for n in scales:
            times, seconds = steps[n].get(name, (0, 0.0))
            cells.append(f"{seconds:.2f} s" + (f" ({times} files)" if times > 1 else ""))
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    raise SystemExit(main())
