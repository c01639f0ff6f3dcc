"""`kinerja explain NIP --period P --html FILE | --pdf FILE`: one A4 page per employee to hand
over — who, the predikat and status, the two ratings, the figures behind them, the
recommendations and where the numbers come from — from the same published score `explain` prints."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from pipelines.explain import published_score
from pipelines.export.labels import DISAGREEMENT, RECOMMENDATION_KIND, ROLE, STATUS, month_name, rupiah
from pipelines.period import Period
from pipelines.report_html import charts


def _figures(s: dict) -> list[tuple[str, str]]:
    """(label, value) of every figure the employee has; a figure not measured is left out."""
    def shown(value, fmt) -> str | None:
        return None if value is None else fmt(value)

    rows = [
        ("Hari kerja", shown(s["workdays_expected"], str)),
        ("Hadir", shown(s["days_present"], str)),
        ("Cuti/izin", shown(s["days_excused"], str)),
        ("Tanpa keterangan (TK)", shown(s["days_absent_unexcused"], str)),
        ("Terlambat (TL)", shown(s["late_count"], lambda v: f"{v} kali, {s['late_minutes'] or 0} menit")),
        ("Pulang cepat (PSW)", shown(s["early_leave_count"], lambda v: f"{v} kali")),
        ("Tingkat kehadiran", shown(s["attendance_rate"], lambda v: charts.percent(v, 2))),
        ("Potongan TPP", shown(s["tpp_deduction_pct"], lambda v: f"{charts.number(v, 2)} %")),
        ("TPP dasar", shown(s["tpp_base_rp"], rupiah)),
        ("Potongan TPP (Rp)", shown(s["tpp_deduction_rp"], rupiah)),
        ("TPP dibayar", shown(s["tpp_payable_rp"], rupiah)),
        ("TK tahun berjalan", shown(s["unexcused_days_ytd"], str)),
        ("Status disiplin (saran)", shown(s["discipline_flag"], lambda v: v.replace("_", " ").capitalize())),
        ("Tiket selesai", shown(s["tickets_completed"], str)),
        ("Kepatuhan SLA", shown(s["sla_met_rate"], lambda v: charts.percent(v, 2))),
        ("IKM", shown(s["ikm"], lambda v: f"{charts.number(v, 2)} (kategori {s['ikm_category']})")),
        ("Perubahan pelanggaran wilayah", shown(s["area_violation_change_pct"], lambda v: f"{charts.number(v, 2)} %")),
        ("Penilaian SKP atasan", DISAGREEMENT if s["rating_disagreement"] else None),
    ]
    return [(label, value) for label, value in rows if value is not None]


def render_slip(conn, nip: str, period: Period) -> str:
    score = published_score(conn, nip, period)
    s = score["scorecard"]
    env = Environment(loader=PackageLoader("pipelines.report_html", "templates"),
                      autoescape=select_autoescape(default=True), trim_blocks=True, lstrip_blocks=True)
    return env.get_template("slip.html.j2").render(
        s=s, month=month_name(str(period)), role=ROLE.get(s["role"], s["role"]),
        status=STATUS.get(s["status"], s["status"]), internal=score["internal"], figures=_figures(s),
        recommendations=score["recommendations"], kinds=RECOMMENDATION_KIND, files=score["files"],
    )


def write_slip(conn, nip: str, period: Period, html: Path | None, pdf: Path | None) -> list[Path]:
    """The slip as HTML and/or PDF (printed by headless Chromium); returns the files written."""
    from pipelines.report_html.browser import print_pdf

    text = render_slip(conn, nip, period)
    written = []
    with tempfile.TemporaryDirectory(prefix="kinerja-slip-") as scratch:
        page = html or Path(scratch) / f"slip-{nip}-{period}.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        partial = page.with_name(page.name + ".part")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, page)
        if html:
            written.append(html)
        if pdf:
            pdf.parent.mkdir(parents=True, exist_ok=True)
            print_pdf(page, pdf)
            written.append(pdf)
    return written
