"""`kinerja` as users run it: a subprocess, exit statuses of contracts §4, no bare tracebacks."""

import subprocess
import sys

import pytest

from tests.helpers import PNS_1, clean_employees, employee_row, query, write, write_employees

P = "2026-10"


def kinerja(*args):
    return subprocess.run(
        [sys.executable, "-m", "pipelines", *args], capture_output=True, text=True, timeout=300
    )


def test_run_publishes_and_prints_a_summary(warehouse_url, db, landing):
    write_employees(landing, P, employee_row(PNS_1), employee_row("1.98E+17"), *clean_employees(40))
    write(landing, P, "attendance", "a.csv", f"nip,punched_at\n{PNS_1},2026-10-05 07:00\n")
    done = kinerja("run", "--period", P, "--landing", str(landing))
    assert done.returncode == 0, done.stderr
    assert "employees" in done.stdout and "NIP_AS_NUMBER" in done.stdout
    assert f"Published {P}" in done.stdout
    assert query(db, "select outcome from meta.run") == [("PUBLISHED",)]
    assert query(db, "select count(*) from mart.employee_scorecard where period = %s", (P,)) == [(41,)]


def test_explain_prints_the_breakdown_and_refuses_unknown_nips(warehouse_url, landing):
    write_employees(landing, P, employee_row(PNS_1))
    write(landing, P, "attendance", "a.csv", f"nip,punched_at,direction\n{PNS_1},2026-10-05 08:00,IN\n")
    assert kinerja("run", "--period", P, "--landing", str(landing)).returncode == 0
    done = kinerja("explain", PNS_1, "--period", P)
    assert done.returncode == 0, done.stderr
    assert "2026-10-05 Sen jadwal 07:30-16:00" in done.stdout
    assert "TL1 (30 menit)" in done.stdout  # 08:00 is 30 minutes late: TL1, not TL2
    assert "employees/bkpp.csv" in done.stdout and "attendance/a.csv" in done.stdout
    unknown = kinerja("explain", "199001012021251001", "--period", P)
    assert unknown.returncode == 2 and "no published score" in unknown.stderr
    unpublished = kinerja("explain", PNS_1, "--period", "2026-11")
    assert unpublished.returncode == 2 and "has not been published" in unpublished.stderr


@pytest.mark.parametrize("period", ["2026-13", "oktober", "2026-10-01"])
def test_bad_period_is_exit_2(warehouse_url, landing, period):
    done = kinerja("run", "--period", period, "--landing", str(landing))
    assert done.returncode == 2 and "YYYY-MM" in done.stderr and "Traceback" not in done.stderr


def test_missing_landing_folder_is_exit_2(warehouse_url, tmp_path):
    done = kinerja("run", "--period", P, "--landing", str(tmp_path / "nowhere"))
    assert done.returncode == 2 and "does not exist" in done.stderr


def test_unknown_command_or_option_is_exit_2(warehouse_url):
    assert kinerja("frobnicate").returncode == 2
    assert kinerja("run", "--period", P).returncode == 2


def test_no_employees_file_is_exit_3(warehouse_url, db, landing):
    write(landing, P, "attendance", "a.csv", f"nip,punched_at\n{PNS_1},2026-10-05 07:00\n")
    done = kinerja("run", "--period", P, "--landing", str(landing))
    assert done.returncode == 3, done.stderr
    assert "no usable employees file" in done.stderr and "Traceback" not in done.stderr
    assert query(db, "select outcome from meta.run") == [("REFUSED",)]


def test_unreachable_warehouse_is_exit_4_with_a_message(landing, monkeypatch):
    write_employees(landing, P, employee_row(PNS_1))
    monkeypatch.setenv("KINERJA_WAREHOUSE_URL", "postgresql://nobody@127.0.0.1:1/none")
    done = kinerja("run", "--period", P, "--landing", str(landing))
    assert done.returncode == 4
    assert "cannot connect to the warehouse" in done.stderr and "Traceback" not in done.stderr
