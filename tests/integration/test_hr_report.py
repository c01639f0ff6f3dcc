"""`kinerja report` rendered in a real headless Chromium (Debian's `chromium`, installed by `make
test`): it loads with no console error and no request leaving the file, every chart is there with
a size and a caption, and it prints to PDF."""

from __future__ import annotations

import re

from pipelines import warehouse
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
        cur.execute("""select count(*) filter (where rated > 0) >= 2, count(*) filter (where scored > 0) >= 2
                       from (select unit_code, count(rating_perilaku) as rated, count(predikat) as scored
                             from mart.employee_scorecard where period = %s group by unit_code) u""", (P,))
        funnels = sum(cur.fetchone())
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
