"""Small builders for hand-made landing files."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

EMPLOYEE_HEADER = "nip,name,unit_code,employment_type,job_type,role,schedule,active_from,active_to"
# Valid NIPs (R5): PNS born 1985-01-01, appointed 2010-01, male; PPPK born 1990-01-01, 2021.
PNS_1 = "198501012010011001"
PNS_2 = "198703152012032002"
PPPK_1 = "199001012021251001"  # code 25: no PNS appointment month


def employee_row(nip: str, unit: str = "BKPP", kind: str = "PNS", name: str = "Budi") -> str:
    return f"{nip},{name},{unit},{kind},PELAKSANA,OFFICE,REGULAR,2020-01-01,"


def write(root: Path, period: str, source: str, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = root / period / source / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def write_employees(root: Path, period: str, *rows: str, name: str = "bkpp.csv") -> Path:
    return write(root, period, "employees", name, "\n".join([EMPLOYEE_HEADER, *rows]) + "\n")


def query(conn, sql: str, params=None) -> list[tuple]:
    with conn.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    conn.rollback()
    return rows


def pns_nip(i: int) -> str:
    """The i-th of many distinct valid PNS NIPs (R5), for padding files with clean rows."""
    born = date(1970, 1, 1) + timedelta(days=i)
    return f"{born:%Y%m%d}200501{1 + i % 2}{1 + i % 999:03d}"


def clean_employees(n: int, unit: str = "BKPP") -> list[str]:
    """n clean employee rows: a file keeps its few bad rows under the 5 % threshold of R13."""
    return [employee_row(pns_nip(i), unit=unit, name=f"Pegawai {i}") for i in range(n)]
