"""A generated city published over three months, shared by the HR output tests (export, report):
built once per session, in a database of its own, and only when a test asks for it."""

from __future__ import annotations

import csv
import uuid

import psycopg2
import pytest

from pipelines import warehouse
from pipelines.generate import generate
from pipelines.monthly import run_period
from pipelines.period import Period
from tests.conftest import _with_database

CITY_MONTHS = ("2026-08", "2026-09", "2026-10")
# Names a department might send that a spreadsheet would run as formulas.
FORMULA_NAMES = ("=HYPERLINK(\"http://x.invalid\",\"klik\")", "+62 812 555", "-Budi", "@SUM(A1:A9)")


def _plant_formula_names(landing) -> list[str]:
    """Give the first employees of the last month's BKPP file formula-like names; returns their NIPs."""
    path = landing / CITY_MONTHS[-1] / "employees" / "pegawai_bkpp.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    name_at = rows[0].index("name")
    for row, name in zip(rows[1:], FORMULA_NAMES):
        row[name_at] = name
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return [row[0] for row in rows[1:1 + len(FORMULA_NAMES)]]


@pytest.fixture(scope="session")
def published_city(pg_server_url, tmp_path_factory):
    """(warehouse URL, NIPs with formula-like names) of a 300-employee city published for CITY_MONTHS."""
    name = f"t_city_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(pg_server_url)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f"create database {name}")
    url = _with_database(pg_server_url, name)
    with warehouse.connection(url) as conn:
        warehouse.migrate(conn)
    landing = tmp_path_factory.mktemp("hr_city")
    generate(CITY_MONTHS[-1], landing, months=len(CITY_MONTHS), employees=300, seed=5)
    formula_nips = _plant_formula_names(landing)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(warehouse.URL_ENV, url)
        for month in CITY_MONTHS:
            run_period(Period.parse(month), landing, url=url)
    yield url, formula_nips
    with admin.cursor() as cur:
        cur.execute(f"drop database if exists {name} with (force)")
    admin.close()
