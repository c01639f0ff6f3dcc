"""`kinerja backfill`: periods in order, oldest first; a refused period stops it."""

from __future__ import annotations

from pipelines.cli import main
from tests.helpers import PNS_1, employee_row, query, write, write_employees


def test_backfill_runs_in_order_and_stops_at_a_refused_period(warehouse_url, db, landing, capsys):
    for period in ("2026-08", "2026-10"):
        write_employees(landing, period, employee_row(PNS_1))
    write(landing, "2026-09", "employees", "bkpp.csv", f"nip,name\n{PNS_1},Budi\n")  # columns missing

    status = main(["backfill", "--from", "2026-08", "--to", "2026-10", "--landing", str(landing)])

    out, err = capsys.readouterr()
    assert status == 3
    assert "Published 2026-08" in out and "2026-09: REFUSED" in err
    assert f"kinerja backfill --from 2026-09 --to 2026-10 --landing {landing}" in err
    assert query(db, "select period, outcome from meta.run order by run_id") == [
        ("2026-08", "PUBLISHED"), ("2026-09", "REFUSED")]


def test_backfill_checks_every_folder_and_the_range_first(warehouse_url, db, landing, capsys):
    write_employees(landing, "2026-08", employee_row(PNS_1))
    assert main(["backfill", "--from", "2026-08", "--to", "2026-09", "--landing", str(landing)]) == 2
    assert "no folder for 2026-09" in capsys.readouterr().err
    assert main(["backfill", "--from", "2026-09", "--to", "2026-08", "--landing", str(landing)]) == 2
    assert query(db, "select count(*) from meta.run") == [(0,)]
