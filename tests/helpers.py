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


def staff(nip: str, unit: str = "BKPP", kind: str = "PNS", role: str = "OFFICE", schedule: str = "REGULAR",
          active_from: str = "2020-01-01", active_to: str = "", name: str = "Pegawai") -> str:
    """An employees row with every column chosen."""
    return f"{nip},{name},{unit},{kind},PELAKSANA,{role},{schedule},{active_from},{active_to}"


def workdays(period: str, holidays: tuple[str, ...] = (), since: str | None = None) -> list[date]:
    """Monday-Friday of the period less `holidays` (ISO dates), from `since` when given."""
    year, month = map(int, period.split("-"))
    day = date(year, month, 1)
    out = []
    while day.month == month:
        if day.isoweekday() <= 5 and day.isoformat() not in holidays and (since is None or day.isoformat() >= since):
            out.append(day)
        day += timedelta(days=1)
    return out


def day_punches(nip: str, days, check_in: str = "07:15:00", check_out: str = "16:35:00") -> list[str]:
    """attendance rows (nip,punched_at,direction): an IN and an OUT punch on each day."""
    return [row for d in days for row in (f"{nip},{d} {check_in},IN", f"{nip},{d} {check_out},OUT")]


def write_attendance(root: Path, period: str, rows: list[str], name: str = "presensi.csv") -> Path:
    return write(root, period, "attendance", name, "\n".join(["nip,punched_at,direction", *rows]) + "\n")


def write_holidays(root: Path, period: str, *days: str) -> Path:
    """A holidays extract: the period's calendar is exactly Monday-Friday less these days (a
    weekend day when none, so the `holidays` package is not used)."""
    if not days:
        first = date(*map(int, period.split("-")), 1)
        days = ((first + timedelta(days=7 - first.isoweekday())).isoformat(),)  # the first Sunday
    rows = [f"{d},libur" for d in days]
    return write(root, period, "holidays", "libur.csv", "\n".join(["holiday_date,description", *rows]) + "\n")


def rows_as_dicts(conn, sql: str, params=None) -> list[dict]:
    with conn.cursor() as cur:
        cur.execute(sql, params)
        names = [c.name for c in cur.description]
        rows = [dict(zip(names, row)) for row in cur.fetchall()]
    conn.rollback()
    return rows


def own_rules(folder: Path, changes: dict | None = None, name: str = "rules.yml") -> Path:
    """A city's own rules file (for KINERJA_RULES): config/rules.yml with `changes` applied, each a
    dotted key (`tpp.cap`, `discipline.flags.0.flag`) and its new value."""
    from importlib.resources import files

    import yaml

    rules = yaml.safe_load((files("pipelines.config") / "rules.yml").read_text(encoding="utf-8"))
    for key, value in (changes or {}).items():
        *parents, last = key.split(".")
        node = rules
        for part in parents:
            node = node[_key(node, part)]
        node[_key(node, last)] = value
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(rules, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _key(node, part: str):
    """A dotted key's part as the YAML has it: a list index, or a mapping's key (weekdays are numbers)."""
    return int(part) if isinstance(node, list) or (part.isdigit() and int(part) in node) else part
