"""The report's tables that HR acts on: a unit's action lists (the named employees behind each
recommendation kind, with the figures it rests on) and a unit's row of the city page's
side-by-side comparison. Numbers in Indonesian format; — where nothing was measured."""

from __future__ import annotations

from pipelines.export.labels import COVERAGE, RECOMMENDATION_KIND, SOURCES
from pipelines.report_html import charts
from pipelines.report_html.data import UnitData


def _count(value) -> str:
    return "—" if value is None else charts.number(value, 0)


def _pct_points(value) -> str:  # a number of percent (mart percentages), not a fraction
    return "—" if value is None else f"{charts.number(value, 2)} %"


def _rate(value) -> str:  # a fraction shown as percent
    return "—" if value is None else charts.percent(value, 1)


def _dec(value) -> str:
    return "—" if value is None else charts.number(value, 2)


def _text(value) -> str:
    return value or "—"


# The figures shown beside each name of an action list, per recommendation kind: what the
# recommendation rests on (header, ACTIONS column, format).
ACTION_FIGURES = {
    "PEMBINAAN": [("TK", "days_absent_unexcused", _count), ("TK tahun berjalan", "unexcused_days_ytd", _count),
                  ("Terlambat", "late_count", _count), ("Pulang cepat", "early_leave_count", _count),
                  ("Potongan TPP", "tpp_deduction_pct", _pct_points)],
    "SUPPORT": [("Predikat", "predikat", _text), ("TK", "days_absent_unexcused", _count),
                ("Potongan TPP", "tpp_deduction_pct", _pct_points)],
    "TRAINING": [("Kepatuhan SLA", "sla_met_rate", _rate), ("IKM", "ikm", _dec)],
    "REWARD": [("Predikat", "predikat", _text), ("Terlambat", "late_count", _count),
               ("Pulang cepat", "early_leave_count", _count)],
}


def action_lists(unit: UnitData) -> list[dict]:
    """Per recommendation kind (in KIND_ORDER), the named employees with the figures behind it."""
    lists = []
    for kind, rows in unit.actions.items():
        figures = ACTION_FIGURES[kind]
        lists.append({
            "kind": kind, "label": RECOMMENDATION_KIND[kind],
            "headers": [header for header, _, _ in figures],
            "rows": [{"nip": r["nip"], "name": r["name"], "reason": r["reason"],
                      "figures": [(show(r[column]), show is not _text) for _, column, show in figures]}
                     for r in rows],
        })
    return lists


def comparison(unit: UnitData) -> dict:
    """A unit's row of the city page's side-by-side table: figures formatted, coverage worded."""
    s = unit.summary
    return {
        "code": unit.code, "name": unit.name,
        "figures": [_count(s["headcount"]), _rate(s["mean_attendance_rate"]), _dec(s.get("late_mean")),
                    _dec(s.get("early_mean")), _pct_points(s.get("tpp_mean")), _rate(s["sla_met_rate"]),
                    _dec(s["ikm"])],
        "coverage": "; ".join(f"{SOURCES.get(source, source)} {COVERAGE.get(status, status)}"
                              for source, (status, _) in sorted(unit.coverage.items()) if status != "PRESENT"),
        "gaps": [f"{SOURCES.get(source, source)}: {months} bulan berturut sejak {since}"
                 for source, months, since in unit.gaps],
    }
