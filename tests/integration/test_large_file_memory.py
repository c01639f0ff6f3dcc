"""A file of several hundred MB loads with flat memory: the Python side only streams chunks."""

import subprocess
import sys

import pytest

from tests.helpers import PNS_1, employee_row, query, write_employees

P = "2026-10"
MEASURE = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
sys.stderr.write(done.stderr)
"""


def peak_rss_mb(*args):
    """Run `kinerja` in a child process; its exit status and peak resident memory in MiB."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, sys.executable, "-m", "pipelines", *args],
        capture_output=True, text=True, timeout=900,
    )
    status, peak = done.stdout.split()
    assert int(status) == 0, done.stderr
    return int(peak)


def write_attendance(path, rows):
    block = "".join(
        f"{PNS_1},2026-10-{1 + i % 28:02d} 07:{i % 60:02d}:{i % 59:02d},IN,MESIN-{i % 40:02d},FINGERPRINT\n"
        for i in range(50_000)
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as out:
        out.write("nip,punched_at,direction,device_id,method\n")
        for _ in range(rows // 50_000):
            out.write(block)


@pytest.mark.slow
def test_several_hundred_mb_load_with_flat_memory(warehouse_url, db, landing, tmp_path):
    write_employees(landing, P, employee_row(PNS_1))
    small = landing / P / "attendance" / "small.csv"
    write_attendance(small, 50_000)
    small_peak = peak_rss_mb("run", "--period", P, "--landing", str(landing))

    small.unlink()
    big = landing / P / "attendance" / "big.csv"
    write_attendance(big, 5_000_000)
    assert big.stat().st_size > 300 * 2**20
    big_peak = peak_rss_mb("run", "--period", P, "--landing", str(landing))

    assert query(db, "select rows_read, rows_loaded from meta.source_file where file_name = 'attendance/big.csv'") == [
        (5_000_000, 5_000_000)
    ]
    # Memory does not follow the file: 100 times the rows, at most a few chunks more. (The floor,
    # about 250 MiB, is mostly the Great Expectations import.)
    assert big_peak < small_peak + 40, (small_peak, big_peak)
    assert big_peak < 400, big_peak
