"""Hostile names in department extracts: employee, unit, service and area names carrying markup,
formulas and path steps are published as sent and shown as text, never run: the HTML report's
DOM (in headless Chromium) holds no injected element or handler, the workbooks hold no formula,
and a unit code cannot steer where a file is written."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from pipelines.cli import main
from pipelines.generate import generate
from pipelines.monthly import run_period
from pipelines.period import Period
from pipelines.report_html.browser import Chromium
from tests.helpers import query

P = "2026-10"
NAMES = ['<script>alert(1)</script>', '"><img src=x onerror=alert(2)>', '</svg><b onmouseover=alert(3)>x',
         '=HYPERLINK("http://x.invalid","klik")', "../../x"]
# Codes are upper-cased on load (contracts §2.1): what is published is the upper-case form.
UNITS = {"BKPP": '<SCRIPT>ALERT(4)</SCRIPT>', "BAPPEDA": "../../X", "DPU": '"><IMG SRC=X ONERROR=ALERT(5)>'}
UNIT_NAME = "</svg><script>alert(6)</script>"

# What the loaded report holds that the department's text could have smuggled in.
_DOM = """(() => ({
    scripts: document.querySelectorAll('script').length,
    images: document.querySelectorAll('img, iframe, object, embed').length,
    handlers: [...document.querySelectorAll('*')].flatMap(e => [...e.attributes])
                  .filter(a => a.name.startsWith('on')).map(a => a.name),
    text: document.body.textContent,
}))()"""


def _rewrite_csv(path: Path, change) -> None:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    for row in rows[1:]:
        change(rows[0], row)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def plant(landing: Path) -> None:
    month = landing / P
    planted = iter(NAMES)

    def employees(header, row):
        name, unit, unit_name = (header.index(c) for c in ("name", "unit_code", "unit_name"))
        if row[unit] in UNITS:
            row[unit], row[unit_name] = UNITS[row[unit]], UNIT_NAME
            row[name] = next(planted, row[name])

    _rewrite_csv(month / "employees" / "pegawai_bkpp.csv", employees)
    _rewrite_csv(month / "service_catalog" / "layanan_mpp.csv",
                 lambda header, row: row.__setitem__(header.index("service_name"), NAMES[1]))
    _rewrite_csv(month / "traffic_violations" / "etle_kamera.csv",
                 lambda header, row: row.__setitem__(header.index("area_code"), NAMES[2]))


@pytest.fixture
def hostile_city(warehouse_url, tmp_path):
    landing = tmp_path / "landing"
    generate(P, landing, months=1, employees=100, seed=3)
    plant(landing)
    run_period(Period.parse(P), landing, url=warehouse_url)
    return warehouse_url


def test_the_report_shows_hostile_names_as_text_and_runs_none(hostile_city, db, tmp_path):
    assert set(NAMES) <= {row[0] for row in query(db, "select name from mart.employee_scorecard")}
    assert set(UNITS.values()) <= {row[0] for row in query(db, "select unit_code from mart.unit_summary")}
    out = tmp_path / "report"
    assert main(["report", "--period", P, "--out", str(out)]) == 0
    assert [p.name for p in out.iterdir()] == [f"laporan-kinerja-{P}.html"]
    with Chromium() as browser:
        page = browser.open(out / f"laporan-kinerja-{P}.html", evaluate={"dom": _DOM})
    assert page.console_errors == [] and page.outside_requests == []
    dom = page.values["dom"]
    assert dom["scripts"] == 0 and dom["images"] == 0 and dom["handlers"] == []
    for shown in (*UNITS.values(), UNIT_NAME):
        assert shown in dom["text"]  # the very characters, as text


def test_exports_neutralise_formulas_and_unit_codes_cannot_steer_paths(hostile_city, tmp_path):
    for fmt in ("xlsx", "csv"):
        _check_export(tmp_path / fmt, fmt)


def _check_export(root: Path, fmt: str) -> None:
    out = root / "deep" / "export"
    assert main(["export", "--period", P, "--out", str(out), "--format", fmt]) == 0
    assert main(["export", "--period", P, "--out", str(out), "--format", fmt, "--unit", "../../x"]) == 0
    written = list(out.iterdir())
    assert {p.parent for p in written} == {out}  # nothing beside or above the folder asked for
    assert sorted(p.name for p in (root / "deep").iterdir()) == ["export"]
    assert not any(".." in p.name or "/" in p.name for p in written)
    # ../../X and ..__.._X would both read ______X: the digest of the code keeps them apart
    assert any(p.name.startswith(f"kinerja-{P}-______X-") for p in written)
    if fmt == "xlsx":
        texts = []
        for path in written:
            book = openpyxl.load_workbook(path)
            for sheet in book.worksheets:
                for row in sheet.iter_rows():
                    assert all(cell.data_type != "f" for cell in row), (path.name, sheet.title)
                    texts += [cell.value for cell in row if isinstance(cell.value, str)]
        assert "'" + NAMES[3] in texts and NAMES[3] not in texts
    else:
        cells = [cell for path in written for sheet in path.glob("*.csv")
                 for row in csv.reader(sheet.open(encoding="utf-8-sig")) for cell in row]
        assert "'" + NAMES[3] in cells and NAMES[3] not in cells
