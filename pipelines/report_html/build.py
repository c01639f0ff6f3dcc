"""`kinerja report`: one self-contained HTML file of a published period — city overview, fairness
view, a section per unit — with charts inlined as SVG and no reference to anything outside the
file, so it opens from a USB stick and prints to PDF as it is."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from pipelines.export.actions import GAP_MONTHS
from pipelines.export.labels import (COVERAGE, DISAGREEMENT, PREDIKAT, PREDIKAT_COLUMN, RECOMMENDATION_KIND, ROLE,
                                     SOURCES, STATUS, month_name, month_short, rupiah)
from pipelines.period import WIB, Period
from pipelines.progress import progress
from pipelines.report_html import charts, tables
from pipelines.report_html.charts import FunnelPoint, Panel
from pipelines.report_html.data import ReportData, UnitData, load

NO_PREDIKAT = ("Tanpa predikat: PARTIAL", "Tanpa predikat: INSUFFICIENT_DATA")


@dataclass
class Chart:
    id: str
    svg: Markup
    caption: str


@dataclass
class Figures:
    """Numbers the report's charts in the order they appear."""

    items: list[Chart] = field(default_factory=list)

    def add(self, draw, *args, caption: str) -> Chart:
        chart_id = f"gambar-{len(self.items) + 1}"
        chart = Chart(chart_id, Markup(draw(chart_id, *args)), f"Gambar {len(self.items) + 1}. {caption}")
        self.items.append(chart)
        return chart


def build_report(conn, period: Period, out: Path) -> Path:
    data = load(conn, period)
    html = render(data)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"laporan-kinerja-{period}.html"
    partial = path.with_name(path.name + ".part")
    partial.write_text(html, encoding="utf-8")
    os.replace(partial, path)
    return path


def render(data: ReportData) -> str:
    figures = Figures()
    period = data.published.period
    city = _city(data, figures)
    comparison = [tables.comparison(unit) for unit in data.units]
    units = []
    with progress(f"report {period}: unit charts", len(data.units)) as bar:  # matplotlib: the slow part
        for unit, row in zip(data.units, comparison):
            units.append({**_unit(data, unit, figures), "comparison": row})
            bar.step(unit.code)
    env = Environment(loader=PackageLoader("pipelines.report_html", "templates"),
                      autoescape=select_autoescape(default=True), trim_blocks=True, lstrip_blocks=True)
    return env.get_template("report.html.j2").render(
        period=period, month=month_name(period), published=data.published,
        rules=data.rules, periods=data.periods, city=city, units=units,
        sources=SOURCES, coverage_labels=COVERAGE, status_labels=STATUS, kinds=RECOMMENDATION_KIND,
        generated=datetime.now(WIB), figures=len(figures.items),
        pct=charts.percent, num=charts.number, rp=rupiah, disagreement=DISAGREEMENT, comparison=comparison,
        gap_months=GAP_MONTHS,
    )


def _predikat_counts(rows: list[dict]) -> list[int]:
    return ([sum(r[PREDIKAT_COLUMN[p]] for r in rows) for p in PREDIKAT]
            + [sum(r["partial"] for r in rows), sum(r["insufficient_data"] for r in rows)])


def _city(data: ReportData, figures: Figures) -> dict:
    period = data.published.period
    rows = [u.summary for u in data.units]
    totals = {key: sum(r[key] for r in rows) for key in ("headcount", "scored", "partial", "insufficient_data")}
    predikat = figures.add(
        charts.horizontal_bars, [*PREDIKAT, *NO_PREDIKAT], _predikat_counts(rows), charts.PREDIKAT_STYLE,
        "pegawai",
        caption=f"Sebaran predikat seluruh pegawai kota, {month_name(period)}: jumlah dan bagian pegawai per"
                " predikat (R11), lalu pegawai tanpa predikat menurut statusnya. Sumber: mart.unit_summary"
                f" periode {period}.")
    status = figures.add(
        charts.stacked_bars, [u.code for u in data.units],
        {"SCORED": [u.summary["scored"] for u in data.units],
         "PARTIAL": [u.summary["partial"] for u in data.units],
         "INSUFFICIENT_DATA": [u.summary["insufficient_data"] for u in data.units]},
        charts.STATUS_STYLE, "pegawai",
        caption=f"Status penilaian per unit, {month_name(period)}: pegawai dinilai lengkap (SCORED), sebagian"
                " (PARTIAL) dan tanpa rating karena data tidak cukup (INSUFFICIENT_DATA); angka di ujung batang"
                f" adalah jumlah pegawai. Sumber: mart.unit_summary periode {period}.")
    return {"totals": totals, "figures": [predikat, status], "fairness": _fairness(data, figures),
            "gaps": [u for u in data.units if any(s != "PRESENT" for s, _ in u.coverage.values())]}


def _fairness(data: ReportData, figures: Figures) -> list[dict]:
    """Funnel plots, one per measure and role (a role is rated by its own rules, so only units'
    staff of the same role are compared): each unit's share of an outcome against its size, with
    control limits around that role's city mean."""
    period = data.published.period
    views = []
    for measure, rated, events, ylabel, source in (
        ("rating perilaku Di Bawah Ekspektasi", "perilaku_rated", "perilaku_below", "bagian Di Bawah Ekspektasi",
         "mart.employee_scorecard.rating_perilaku (penyebut: pegawai dengan rating perilaku)"),
        ("predikat Sangat Baik", "scored", "sangat_baik", "bagian Sangat Baik",
         "mart.employee_scorecard.predikat (penyebut: pegawai berpredikat)"),
    ):
        for role in sorted(data.roles, key=lambda r: (r not in ROLE, r)):
            points = [FunnelPoint(r["unit_code"], r[rated], r[events]) for r in data.roles[role] if r[rated]]
            if not points:
                continue  # nobody of this role has the measure (office staff have no predikat)
            label = ROLE.get(role, role)
            view = {"measure": measure, "role": label, "points": points, "figure": None, "positions": []}
            if len(points) >= 2:
                view["figure"] = figures.add(
                    charts.funnel_plot, points, ylabel,
                    caption=f"Plot corong, {label}: bagian pegawai dengan {measure} per unit (sumbu tegak) terhadap"
                            " jumlah pegawai peran itu di unit (sumbu datar), dengan rata-rata kota peran itu dan"
                            " batas kendali 95 % (garis putus) dan 99,8 % (garis titik). Unit kecil wajar lebih jauh"
                            " dari rata-rata; hanya titik di luar corong yang patut ditelaah — ditandai, bukan dinilai"
                            " — dan hanya unit di luar batas 95 % yang diberi nama (semua unit ada di tabel di"
                            f" bawahnya). Sumber: {source}, peran {role}, periode {period}.")
                view["positions"] = charts.positions(points)
            views.append(view)
    return views


def _unit(data: ReportData, unit: UnitData, figures: Figures) -> dict:
    period = data.published.period
    span = f"{len(data.periods)} periode terbit terakhir ({month_name(data.periods[0])} – {month_name(data.periods[-1])})"
    labels = [month_short(p) for p in data.periods]
    items = [figures.add(
        charts.horizontal_bars, [*PREDIKAT, *NO_PREDIKAT], _predikat_counts([unit.summary]),
        charts.PREDIKAT_STYLE, "pegawai",
        caption=f"Sebaran predikat {unit.name}, {month_name(period)} (R11): pegawai per predikat, lalu yang"
                f" tanpa predikat menurut statusnya. Sumber: mart.unit_summary periode {period}, unit {unit.code}.")]
    items.append(figures.add(
        charts.trend_panels, labels, [
            Panel("Rata-rata tingkat kehadiran", {"kehadiran": unit.series(data.periods, "mean_attendance_rate")},
                  axis="percent", base=None),
            Panel("Per pegawai: terlambat dan pulang cepat", {
                "terlambat (TL)": unit.series(data.periods, "late_mean"),
                "pulang cepat (PSW)": unit.series(data.periods, "early_mean")}),
            Panel("Rata-rata potongan TPP (%)", {"potongan TPP": unit.series(data.periods, "tpp_mean")}),
        ],
        caption=f"Kehadiran {unit.name} pada {span}: rata-rata tingkat kehadiran, rata-rata kejadian terlambat"
                " dan pulang cepat per pegawai, dan rata-rata potongan TPP (R2, R3). Titik hilang: presensi unit"
                " tidak ada pada periode itu (tidak dihitung sebagai absen). Sumber: mart.unit_summary"
                ".mean_attendance_rate dan rata-rata mart.employee_scorecard (late_count, early_leave_count,"
                f" tpp_deduction_pct), unit {unit.code}."))
    rules = data.rules.rules["hasil_kerja"]
    if unit.is_service:
        sc = rules["service_counter"]
        items.append(figures.add(
            charts.trend_panels, labels, [
                Panel("Kepatuhan SLA unit", {"SLA": unit.series(data.periods, "sla_met_rate")}, axis="percent", base=None,
                      lines=((sc["below_sla"], f"Di Bawah < {charts.percent(sc['below_sla'], 0)}"),
                             (sc["above_sla"], f"Di Atas ≥ {charts.percent(sc['above_sla'], 0)}"))),
                Panel("IKM unit", {"IKM": unit.series(data.periods, "ikm")}, base=None, min_span=10,
                      lines=((sc["below_ikm"], f"Di Bawah < {charts.number(sc['below_ikm'], 2)}"),
                             (sc["above_ikm"], f"Di Atas ≥ {charts.number(sc['above_ikm'], 2)}"))),
            ],
            caption=f"Layanan {unit.name} pada {span}: bagian tiket yang selesai dalam standar waktu (R9) dan"
                    " Indeks Kepuasan Masyarakat atas semua jawaban survei unit (R8); garis putus adalah ambang"
                    " rating hasil kerja petugas loket (R7). Sumber: mart.unit_summary.sla_met_rate dan .ikm,"
                    f" unit {unit.code}."))
    if unit.is_field:
        fo = rules["field_officer"]
        items.append(figures.add(
            charts.trend_panels, labels, [
                Panel("Pelanggaran per hari penugasan", {
                    "periode itu": [unit.violations.get(p, {}).get("current_rate") for p in data.periods],
                    f"baseline {fo['baseline_months']} bulan sebelumnya": [unit.violations.get(p, {}).get("baseline_rate") for p in data.periods]}),
                Panel("Rata-rata perubahan pelanggaran (%)", {"perubahan": unit.series(data.periods, "change_mean")}, min_span=20,
                      lines=((fo["above_change_pct"], f"Di Atas ≤ {fo['above_change_pct']} %"),
                             (fo["below_change_pct"], f"Di Bawah ≥ +{fo['below_change_pct']} %"))),
            ],
            caption=f"Pelanggaran lalu lintas di wilayah tugas petugas lapangan {unit.name} pada {span}: pelanggaran"
                    f" terhitung ({' dan '.join(fo['counted_detections'])}; catatan PATROL petugas sendiri tidak"
                    " dihitung) per hari"
                    " penugasan dibanding baseline wilayahnya, rata-rata petugas yang memiliki baseline, dan"
                    " rata-rata perubahannya; turun berarti membaik (R10). Sumber: mart.employee_kpi"
                    " AREA_VIOLATION_CHANGE_PCT (pembilang, penyebut) dan"
                    f" mart.employee_scorecard.area_violation_change_pct, unit {unit.code}."))
    return {"unit": unit, "figures": items, "actions": tables.action_lists(unit)}
