"""Readers of published data (`report`, `export`, `explain`) pointed at a warehouse with nothing
published — a mistyped or empty KINERJA_HOME, another database — say so and where they looked,
with exit 2 (contracts §4), and create nothing."""

import re

import psycopg2
import pytest

from pipelines.rules_file import RULES_ENV
from tests.conftest import _with_database
from tests.helpers import PNS_1, employee_row, own_rules, write, write_employees
from tests.integration.test_cli import kinerja

P = "2026-10"
READERS = [
    ("report", "--period", P, "--out", "{out}"),
    ("export", "--period", P, "--out", "{out}"),
    ("explain", PNS_1, "--period", P),
]


def read(command, tmp_path):
    return kinerja(*(arg.format(out=tmp_path / "out") for arg in command))


@pytest.mark.parametrize("command", READERS, ids=lambda c: c[0])
def test_an_empty_kinerja_home_is_told_not_created(monkeypatch, tmp_path, command):
    home = tmp_path / "salah"
    monkeypatch.delenv("KINERJA_WAREHOUSE_URL", raising=False)
    monkeypatch.setenv("KINERJA_HOME", str(home))
    done = read(command, tmp_path)
    assert done.returncode == 2, done.stderr
    assert "no period is published in this warehouse" in done.stderr and "belum ada periode" in done.stderr
    assert f"KINERJA_HOME={home}" in done.stderr and "Traceback" not in done.stderr
    assert not home.exists() and not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", READERS, ids=lambda c: c[0])
def test_a_database_without_the_warehouse_tables_names_the_url_without_its_password(
        pg_server_url, monkeypatch, tmp_path, command):
    admin = psycopg2.connect(pg_server_url)
    admin.autocommit = True
    name = f"empty_{command[0]}"
    with admin.cursor() as cur:
        cur.execute(f"drop database if exists {name}")
        cur.execute(f"create database {name}")
    try:
        # The embedded server trusts local connections: the password is only there to be hidden.
        url = re.sub(r"^postgresql://(\w+):?[^@/]*@", r"postgresql://\1:geheim@", _with_database(pg_server_url, name))
        monkeypatch.setenv("KINERJA_WAREHOUSE_URL", url)
        done = read(command, tmp_path)
    finally:
        with admin.cursor() as cur:
            cur.execute(f"drop database if exists {name} with (force)")
        admin.close()
    assert done.returncode == 2, done.stderr
    assert "no period is published in this warehouse" in done.stderr
    assert "geheim" not in done.stderr and f"/{name}" in done.stderr and "Traceback" not in done.stderr


def test_a_migrated_warehouse_with_nothing_published_says_so(warehouse_url, tmp_path):
    for command in READERS:
        done = read(command, tmp_path)
        assert done.returncode == 2 and "no period is published in this warehouse" in done.stderr, done.stderr


def test_another_period_names_the_published_ones(warehouse_url, landing, tmp_path):
    write_employees(landing, P, employee_row(PNS_1))
    write(landing, P, "attendance", "a.csv", f"nip,punched_at,direction\n{PNS_1},2026-10-05 07:20,IN\n")
    assert kinerja("run", "--period", P, "--landing", str(landing)).returncode == 0
    done = kinerja("export", "--period", "2026-11", "--out", str(tmp_path))
    assert done.returncode == 2 and "2026-11 has not been published" in done.stderr
    assert "(published: 2026-10)" in done.stderr


def test_a_bad_rules_file_is_a_usage_error_of_every_command(warehouse_url, landing, monkeypatch, tmp_path):
    path = own_rules(tmp_path, {"tpp.cap": "seratus"})
    monkeypatch.setenv(RULES_ENV, str(path))
    write_employees(landing, P, employee_row(PNS_1))
    done = kinerja("run", "--period", P, "--landing", str(landing))
    assert done.returncode == 2, done.stderr
    assert f"rules file {path}: tpp.cap must be a number, not text ('seratus')" in done.stderr
