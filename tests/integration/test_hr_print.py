"""What HR prints and hands over: the workbook converted to PDF by LibreOffice (numbered A4
landscape pages, the header row and the employee's NIP and name on every page), the one-page
explain slip (HTML and PDF by headless Chromium), and `kinerja status`."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from pipelines import warehouse
from pipelines.export.workbook import export_period
from pipelines.period import Period
from tests.integration.conftest import CITY_MONTHS
from tests.integration.test_hr_export import kinerja

P = CITY_MONTHS[-1]
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
POPPLER = shutil.which("pdftotext") and shutil.which("pdfinfo")


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page (poppler's pdftotext), and checks the pages are A4 landscape."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    assert (round(width), round(height)) == (842, 595), info  # A4 landscape
    count = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    return [subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
                           capture_output=True, text=True, check=True).stdout for n in range(1, count + 1)]


@pytest.mark.skipif(not (SOFFICE and POPPLER),
                    reason="needs LibreOffice (Debian libreoffice-calc-nogui) and poppler-utils; `make browser` installs both")
def test_the_workbook_prints_on_numbered_pages_with_header_and_names_on_each(published_city, tmp_path):
    url, _ = published_city
    with warehouse.connection(url) as conn:
        book = export_period(conn, Period.parse(P), tmp_path, unit="DISHUB").files[0]
    converted = subprocess.run(
        [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
         "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), str(book.path)],
        capture_output=True, text=True, timeout=180)
    assert converted.returncode == 0, converted.stderr
    pages = pdf_pages(tmp_path / "pdf" / book.path.with_suffix(".pdf").name)
    sheets = {}
    for number, text in enumerate(pages, start=1):
        footer = re.search(r"(\S[^\n]*?) — halaman (\d+) dari (\d+)", text)
        assert footer and (int(footer.group(2)), int(footer.group(3))) == (number, len(pages)), text[-300:]
        sheets.setdefault(footer.group(1).strip(), []).append(text)
    assert list(sheets) == list(book.rows)  # every sheet, in order
    # Kartu Skor runs across pages: each repeats the header row and who the row is about.
    assert len(sheets["Kartu Skor"]) > 1
    for text in sheets["Kartu Skor"]:
        assert "NIP" in text and "Nama" in text and re.search(r"\b\d{18}\b", text)
    # Tindak Lanjut is fitted to the page's width: its first and last headers on one page.
    assert all("NIP" in text and "Predikat" in text for text in sheets["Tindak Lanjut"])


def nip_with_predikat_and_recommendations(url) -> str:
    with warehouse.connection(url) as conn, conn.cursor() as cur:
        cur.execute("""select s.nip from mart.employee_scorecard s join mart.recommendation r using (period, nip)
                       where s.period = %s and s.predikat is not null order by s.nip limit 1""", (P,))
        return cur.fetchone()[0]


SLIP = """({
  predikat: document.getElementById('predikat').textContent.replace(/\\s+/g, ' ').trim(),
  status: document.getElementById('status').textContent.replace(/\\s+/g, ' ').trim(),
  identity: Array.from(document.querySelectorAll('#identitas td')).map(c => c.textContent.trim()),
  recommendations: Array.from(document.querySelectorAll('#rekomendasi li')).map(li => li.textContent.trim()),
  height: document.documentElement.scrollHeight})"""


def test_explain_writes_a_one_page_slip_as_html_and_pdf(published_city, tmp_path):
    from pipelines.report_html.browser import Chromium

    url, _ = published_city
    nip = nip_with_predikat_and_recommendations(url)
    html, pdf = tmp_path / "slip.html", tmp_path / "slip.pdf"
    done = kinerja(url, "explain", nip, "--period", P, "--html", str(html), "--pdf", str(pdf))
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(html), str(pdf)]
    with warehouse.connection(url) as conn, conn.cursor() as cur:
        cur.execute("select name, predikat, predikat_value, status from mart.employee_scorecard"
                    " where period = %s and nip = %s", (P, nip))
        name, predikat, value, status = cur.fetchone()
        cur.execute("select reason from mart.recommendation where period = %s and nip = %s order by kind, code", (P, nip))
        reasons = [r for (r,) in cur.fetchall()]
    with Chromium() as browser:
        page = browser.open(html, pdf=True, evaluate={"slip": SLIP})
    assert page.console_errors == [] and page.outside_requests == []
    slip = page.values["slip"]
    assert slip["identity"][:2] == [name, nip]
    assert predikat in slip["predikat"] and f"nilai {value}" in slip["predikat"] and status in slip["status"]
    assert len(slip["recommendations"]) == len(reasons) and all(
        any(reason in shown for shown in slip["recommendations"]) for reason in reasons)
    assert len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes())) == 1  # one page to hand over
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_explain_slip_of_an_unknown_nip_is_a_usage_error(published_city, tmp_path):
    url, _ = published_city
    done = kinerja(url, "explain", "199001012020011999", "--period", P, "--html", str(tmp_path / "x.html"))
    assert done.returncode == 2 and "no published score" in done.stderr
    assert not (tmp_path / "x.html").exists()


def test_status_lists_the_published_periods_and_the_sources_they_lacked(published_city):
    url, _ = published_city
    done = kinerja(url, "status")
    assert done.returncode == 0, done.stderr
    with warehouse.connection(url) as conn, conn.cursor() as cur:
        cur.execute("select period, run_id, rules_version from meta.published_period order by period")
        published = cur.fetchall()
        cur.execute("""select c.period, c.source, c.status, c.unit_code from meta.source_coverage c
                       join meta.published_period p using (run_id, period) where c.status <> 'PRESENT'""")
        gaps = cur.fetchall()
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"Published periods: {len(published)}")
    for period, run, rules in published:
        row = next(line.split() for line in lines if line.split()[:1] == [period])
        assert row[1:3] == [str(run), rules] and row[-1] == "current"
    assert gaps
    for period, source, status, unit in gaps:
        assert any(line.split()[:3] == [period, source, f"{status}:"] and unit in line for line in lines)


def test_status_says_so_when_nothing_is_published(warehouse_url):
    done = kinerja(warehouse_url, "status")
    assert done.returncode == 2
    assert "no period has been published yet" in done.stderr and "Traceback" not in done.stderr
