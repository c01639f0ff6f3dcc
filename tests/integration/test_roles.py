"""Least-privilege roles and row-level security (migration 0010), proven by logging in as each
role on the real server: what HR, a unit head, the auditor and the loader can and cannot read."""

from __future__ import annotations

import re
import uuid

import psycopg2
import psycopg2.errors
import pytest

from pipelines import warehouse
from pipelines.cli import main
from pipelines.monthly import run_period
from pipelines.period import Period
from tests.conftest import _with_database
from tests.helpers import PNS_1, PNS_2, day_punches, employee_row, query, workdays, write_attendance, write_employees

P = "2026-10"
PASSWORD = "s3cret-for-tests"


def as_login(url: str, user: str, password: str = PASSWORD) -> str:
    return re.sub(r"^postgresql://[^@/]*@", f"postgresql://{user}:{password}@", url)


@pytest.fixture
def login(warehouse_url, db):
    """Makes login roles (members of a group role) for this test; drops them afterwards."""
    made = []

    def make(group: str) -> str:
        name = f"u_{group.removeprefix('kinerja_')}_{uuid.uuid4().hex[:6]}"
        with db, db.cursor() as cur:
            cur.execute(f'create role "{name}" login password %s in role "{group}"', (PASSWORD,))
        made.append(name)
        return name

    yield make
    with db, db.cursor() as cur:
        for name in made:
            cur.execute(f'reassign owned by "{name}" to current_user')
            cur.execute(f'drop owned by "{name}"')
            cur.execute(f'drop role "{name}"')


def publish_two_units(landing, url: str) -> None:
    write_employees(landing, P, employee_row(PNS_1, unit="BKPP"), employee_row(PNS_2, unit="DISHUB"))
    write_attendance(landing, P, day_punches(PNS_1, workdays(P)) + day_punches(PNS_2, workdays(P)[3:]))
    run_period(Period.parse(P), landing, url=url)


def read(url: str, sql: str) -> list[tuple]:
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute("select session_user")
        assert cur.fetchone()[0] == re.match(r"postgresql://([^:]+):", url)[1]  # a real login as it
        cur.execute(sql)
        return cur.fetchall()


def refused(url: str, sql: str) -> bool:
    try:
        read(url, sql)
    except psycopg2.errors.InsufficientPrivilege:
        return True
    return False


def test_hr_reads_every_mart_row_and_no_raw_punch(warehouse_url, login, landing):
    publish_two_units(landing, warehouse_url)
    hr = as_login(warehouse_url, login("kinerja_hr"))
    assert read(hr, "select unit_code from mart.employee_scorecard order by 1") == [("BKPP",), ("DISHUB",)]
    assert read(hr, "select count(distinct nip) from mart.employee_kpi") == [(2,)]
    for hidden in ("staging.attendance", "staging.employees", "meta.run", "meta.rejected_row",
                   "intermediate.attendance_day", "access.unit_grant"):
        assert refused(hr, f"select * from {hidden} limit 1"), hidden


def test_a_unit_head_reads_only_the_units_granted_to_it(warehouse_url, login, landing, capsys):
    publish_two_units(landing, warehouse_url)
    name = login("kinerja_unit_head")
    head = as_login(warehouse_url, name)
    assert read(head, "select count(*) from mart.employee_scorecard") == [(0,)]  # nothing granted yet

    assert main(["grant-unit", name, "bkpp"]) == 0
    assert f"{name} reads unit BKPP" in capsys.readouterr().out
    assert read(head, "select nip, unit_code from mart.employee_scorecard") == [(PNS_1, "BKPP")]
    assert read(head, "select distinct nip from mart.employee_kpi") == [(PNS_1,)]  # through the scorecard
    assert read(head, "select unit_code from mart.unit_summary") == [("BKPP",)]
    assert read(head, f"select count(*) from mart.recommendation where nip = '{PNS_2}'") == [(0,)]
    assert read(head, "select role_name, unit_code from access.unit_grant") == [(name, "BKPP")]
    assert refused(head, "select * from staging.attendance limit 1")
    assert refused(head, "select * from meta.source_file limit 1")

    assert main(["grant-unit", "--list"]) == 0
    assert f"{name}\tBKPP" in capsys.readouterr().out
    assert main(["grant-unit", name, "BKPP", "--revoke"]) == 0
    assert read(head, "select count(*) from mart.employee_scorecard") == [(0,)]
    assert main(["grant-unit", "nobody_" + name, "BKPP"]) == 2
    assert "there is no role" in capsys.readouterr().err


def test_the_auditor_reads_meta_and_mart_but_no_punch(warehouse_url, login, landing):
    write_employees(landing, P, employee_row(PNS_1))
    write_attendance(landing, P, [f"{PNS_1},bukan tanggal,IN"] + day_punches(PNS_1, workdays(P)))
    run_period(Period.parse(P), landing, url=warehouse_url)
    auditor = as_login(warehouse_url, login("kinerja_auditor"))
    assert read(auditor, "select outcome from meta.run") == [("PUBLISHED",)]
    assert read(auditor, "select count(*) from mart.employee_scorecard") == [(1,)]
    assert read(auditor, "select source, rule from meta.rejected_row") == [("attendance", "DATETIME_FORMAT")]
    assert refused(auditor, "select raw_row from meta.rejected_row")
    assert refused(auditor, "select value from meta.rejected_row")
    assert refused(auditor, "select * from staging.attendance limit 1")
    assert refused(auditor, "select * from intermediate.attendance_day limit 1")


def test_the_loader_runs_the_pipeline_and_republishing_keeps_grants_and_policies(warehouse_url, login, landing):
    loader = as_login(warehouse_url, login("kinerja_loader"))
    publish_two_units(landing, loader)  # load, stage, score and publish as the loader
    run_period(Period.parse(P), landing, url=loader)  # again: the period's rows are replaced
    assert read(loader, "select count(*) from meta.run where outcome = 'PUBLISHED'") == [(2,)]
    hr = as_login(warehouse_url, login("kinerja_hr"))
    assert read(hr, "select count(*) from mart.employee_scorecard") == [(2,)]
    name = login("kinerja_unit_head")
    assert main(["grant-unit", name, "DISHUB"]) == 0
    assert read(as_login(warehouse_url, name), "select nip from mart.employee_scorecard") == [(PNS_2,)]


def test_roles_are_shared_by_databases_and_their_names_configurable(pg_server_url, monkeypatch):
    """Roles belong to the server: a database migrated after another reuses them; a prefix names them."""
    monkeypatch.setenv(warehouse.ROLE_PREFIX_ENV, "t_custom_")
    names = [f"t_{uuid.uuid4().hex[:12]}" for _ in range(2)]
    admin = psycopg2.connect(pg_server_url)
    admin.autocommit = True
    try:
        with admin.cursor() as cur:
            for name in names:
                cur.execute(f"create database {name}")
                with warehouse.connection(_with_database(pg_server_url, name)) as conn:
                    assert "0010_roles.sql" in warehouse.migrate(conn)
                    assert query(conn, "select role_name from access.role order by 1") == [
                        ("t_custom_auditor",), ("t_custom_hr",), ("t_custom_loader",), ("t_custom_unit_head",)]
                    assert query(conn, "select tableowner from pg_tables where tablename = 'employee_scorecard'") \
                        == [("t_custom_loader",)]
            cur.execute("select count(*) from pg_roles where rolname like 't_custom_%%'")
            assert cur.fetchone() == (4,)
    finally:
        with admin.cursor() as cur:
            for name in names:
                cur.execute(f"drop database if exists {name} with (force)")
            for purpose in ("loader", "hr", "unit_head", "auditor"):
                cur.execute(f"drop role if exists t_custom_{purpose}")
        admin.close()
