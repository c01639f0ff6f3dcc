"""`kinerja report` rendered in a real headless Chromium (Debian's `chromium`, installed by `make
test`): it loads with no console error and no request leaving the file, every chart is there with
a size and a caption, and it prints to PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal

import pytest

from pipelines import warehouse
from pipelines.export.actions import KIND_ORDER
from pipelines.export.labels import RECOMMENDATION_KIND
from pipelines.report_html.browser import Chromium
from tests.integration.conftest import CITY_MONTHS
from tests.integration.test_hr_export import kinerja

P = CITY_MONTHS[-1]


def expected_charts(url) -> dict[str, int]:
    """Charts per section, from the marts: the city's two, a funnel per measure that has two units
    to compare, and per unit its predikat and attendance, plus service and field trends."""
    with warehouse.connection(url) as conn, conn.cursor() as cur:
        cur.execute("""
            select unit_code,
                   bool_or(role = 'SERVICE_COUNTER') or bool_or(u.tickets_completed is not null) as service,
                   bool_or(role = 'FIELD_OFFICER') as field
            from mart.employee_scorecard s join mart.unit_summary u using (period, unit_code)
            where unit_code in (select unit_code from mart.unit_summary where period = %(p)s)
            group by unit_code""", {"p": P})
        units = {code: 2 + service + field for code, service, field in cur.fetchall()}
        # A funnel per measure and role, where two units have staff of that role to compare.
        cur.execute("""select (count(*) filter (where rated > 0) >= 2)::int + (count(*) filter (where scored > 0) >= 2)::int
                       from (select unit_code, role, count(rating_perilaku) as rated, count(predikat) as scored
                             from mart.employee_scorecard where period = %s group by unit_code, role) u
                       group by role""", (P,))
        funnels = sum(n for (n,) in cur.fetchall())
    return {"kota": 2 + funnels, **units}


def test_report_renders_in_headless_chromium_with_every_chart_and_prints_to_pdf(published_city, tmp_path):
    url, _ = published_city
    done = kinerja(url, "report", "--period", P, "--out", str(tmp_path), "--pdf")
    assert done.returncode == 0, done.stderr
    html = tmp_path / f"laporan-kinerja-{P}.html"
    assert done.stdout.split() == [str(html), str(html.with_suffix(".pdf"))]
    text = html.read_text(encoding="utf-8")

    # Self-contained: nothing by address but the page's own anchors (SVG namespaces are names, not fetched).
    assert re.findall(r'\b(?:src|href)="(?!#)[^"]*"', text) == []
    assert re.findall(r"url\((?!#)", text) == []
    assert '<html lang="id">' in text and "Ringkasan kota" in text and "Keadilan: plot corong" in text

    expected = expected_charts(url)
    assert expected["DISHUB"] == 3 and expected["MPP"] == 3  # field and service trends are there
    with Chromium() as browser:
        page = browser.open(html, pdf=True)
    assert page.console_errors == []
    assert page.outside_requests == []
    assert len(page.charts) == sum(expected.values())
    for number, chart in enumerate(page.charts, start=1):
        assert chart["id"] == f"gambar-{number}"
        assert chart["width"] > 300 and chart["height"] > 100, chart
        assert chart["caption"].startswith(f"Gambar {number}. ") and "Sumber:" in chart["caption"]
        assert chart["labelled"] == f"gambar-{number}-caption"
    for unit in expected:
        if unit != "kota":
            assert f'<section class="unit" id="unit-{unit}">' in text

    assert page.pdf.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page\b", page.pdf)) > len(expected)  # a page per unit, and the city
    assert html.with_suffix(".pdf").read_bytes().startswith(b"%PDF-")


def test_the_browser_check_sees_console_errors_and_requests_leaving_the_file(tmp_path):
    """The checks above are not vacuous: a broken page is caught (loopback only, nothing listens)."""
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><script>console.error("rusak")</script>'
                   '<img src="http://127.0.0.1:9/gambar.png">', encoding="utf-8")
    with Chromium() as browser:
        page = browser.open(bad)
    assert "rusak" in page.console_errors
    assert page.outside_requests == ["http://127.0.0.1:9/gambar.png"]


def test_report_of_an_unpublished_period_is_a_usage_error(published_city, tmp_path):
    url, _ = published_city
    done = kinerja(url, "report", "--period", "2027-01", "--out", str(tmp_path))
    assert done.returncode == 2 and "has not been published" in done.stderr


# What the reader sees, read from the rendered page (the DOM), not from the HTML text.
ACTION_LISTS = """
Array.from(document.querySelectorAll('section.unit')).map(s => ({
  unit: s.id.replace('unit-', ''),
  lists: Array.from(s.querySelectorAll('table.actions')).map(t => ({
    kind: t.dataset.kind, caption: t.caption.textContent.trim(),
    headers: Array.from(t.tHead.rows[0].cells).map(c => c.textContent.trim()),
    rows: Array.from(t.tBodies[0].rows).map(r => Array.from(r.cells).map(c => c.textContent.trim()))}))}))
"""
COMPARISON = """
Array.from(document.querySelectorAll('#tabel-perbandingan tbody tr')).map(
  r => Array.from(r.cells).map(c => c.textContent.replace(/\\s+/g, ' ').trim()))
"""
PERSISTENT = "(document.getElementById('sumber-berturut') || {textContent: ''}).textContent"


def _id(value, places: int = 2) -> str:
    """Indonesian decimal comma, as the report writes numbers."""
    return f"{value:,.{places}f}".replace(",", "_").replace(".", ",").replace("_", ".")


@pytest.fixture(scope="module")
def rendered(published_city, tmp_path_factory):
    url, _ = published_city
    out = tmp_path_factory.mktemp("report")
    done = kinerja(url, "report", "--period", P, "--out", str(out), "--pdf")
    assert done.returncode == 0, done.stderr
    html = out / f"laporan-kinerja-{P}.html"
    with Chromium() as browser:
        page = browser.open(html, evaluate={"actions": ACTION_LISTS, "comparison": COMPARISON,
                                            "persistent": PERSISTENT})
    assert page.console_errors == []
    return url, html, page


def test_each_unit_names_who_each_recommendation_concerns_with_the_figures_most_pressing_first(rendered):
    url, _, page = rendered
    with warehouse.connection(url) as conn, conn.cursor() as cur:
        cur.execute("""select s.unit_code, r.kind, s.nip, s.name, r.reason, s.unexcused_days_ytd
                       from mart.recommendation r join mart.employee_scorecard s using (period, nip)
                       where r.period = %s""", (P,))
        expected: dict = {}
        for unit, kind, nip, name, reason, ytd in cur.fetchall():
            expected.setdefault(unit, {}).setdefault(kind, []).append((nip, name, reason, ytd))
    seen = {section["unit"]: section["lists"] for section in page.values["actions"]}
    assert sum(len(rows) for kinds in expected.values() for rows in kinds.values()) > 20  # the city has some
    assert set(seen) >= set(expected)
    for unit, lists in seen.items():
        kinds = expected.get(unit, {})
        assert [t["kind"] for t in lists] == [k for k in KIND_ORDER if k in kinds], unit
        for table in lists:
            rows = kinds[table["kind"]]
            assert table["caption"].lower().startswith(RECOMMENDATION_KIND[table["kind"]])
            assert table["caption"].endswith(f"{len(rows)} pegawai")
            assert table["headers"][:2] == ["NIP", "Nama"] and table["headers"][-1] == "Alasan"
            assert sorted((r[0], r[1], r[-1]) for r in table["rows"]) == sorted((n, m, why) for n, m, why, _ in rows)
            if table["kind"] == "PEMBINAAN":  # the most TK this year first
                ytd = [int(r[table["headers"].index("TK tahun berjalan")]) for r in table["rows"]]
                assert ytd == sorted(ytd, reverse=True), unit


def test_the_city_page_compares_units_side_by_side_and_flags_sources_missing_for_months(rendered):
    url, _, page = rendered
    with warehouse.connection(url) as conn, conn.cursor() as cur:
        cur.execute("""select u.unit_code, u.headcount, u.mean_attendance_rate, avg(s.late_count), avg(s.early_leave_count),
                              avg(s.tpp_deduction_pct), u.sla_met_rate, u.ikm
                       from mart.unit_summary u join mart.employee_scorecard s using (period, unit_code)
                       where u.period = %s group by u.unit_code, u.headcount, u.mean_attendance_rate, u.sla_met_rate, u.ikm
                       order by u.unit_code""", (P,))
        units = cur.fetchall()
        # Units whose attendance was MISSING in every published month (the generated city has one).
        cur.execute("""select c.unit_code from meta.source_coverage c
                       join meta.published_period p using (run_id, period)
                       where c.source = 'attendance' and c.status = 'MISSING'
                       group by c.unit_code having count(*) = %s""", (len(CITY_MONTHS),))
        missing = {code for (code,) in cur.fetchall()}
    rows = page.values["comparison"]
    assert [r[0] for r in rows] == [u[0] for u in units]
    percent = lambda v: _id(Decimal(v) * 100, 1) + " %"  # noqa: E731
    for row, (code, headcount, rate, late, early, tpp, sla, ikm) in zip(rows, units):
        shown = lambda v, f: "—" if v is None else f(v)  # noqa: E731
        assert row[1:8] == [str(headcount), shown(rate, percent), shown(late, _id), shown(early, _id),
                            shown(tpp, lambda v: _id(v) + " %"), shown(sla, percent), shown(ikm, _id)], code
        flagged = f"presensi: {len(CITY_MONTHS)} bulan berturut sejak {CITY_MONTHS[0]}"
        assert (flagged in row[-1]) == (code in missing), row
        assert ("⚠" in row[-1]) == (code in missing), row
    assert missing and all(code in page.values["persistent"] for code in missing)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (Debian poppler-utils, `make browser`) not installed")
def test_the_pdf_pages_are_numbered(rendered):
    _, html, _ = rendered
    pdf = html.with_suffix(".pdf")
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes()))
    for number in (1, pages):
        text = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        assert f"halaman {number} dari {pages}" in text
