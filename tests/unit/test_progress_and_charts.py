"""The progress helper (a live line on a terminal, log lines otherwise) and the report's chart
scales: trends from a sensible base and at least a minimum span, empty panels that say so, and a
funnel legend for its control limits."""

from __future__ import annotations

import io
import logging

from pipelines.progress import progress
from pipelines.report_html import charts
from pipelines.report_html.charts import FunnelPoint, Panel


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_one_log_line_per_step_and_quiet_when_not_a_terminal(caplog):
    stream = io.StringIO()
    with caplog.at_level(logging.INFO, logger="kinerja.progress"), progress("export 2026-10", 2, stream) as bar:
        bar.step("kinerja-2026-10-BKPP.xlsx")
        bar.step("kinerja-2026-10-DISHUB.xlsx")
    assert stream.getvalue() == ""
    assert [r.getMessage() for r in caplog.records] == [
        "export 2026-10 1/2: kinerja-2026-10-BKPP.xlsx", "export 2026-10 2/2: kinerja-2026-10-DISHUB.xlsx"]


def test_progress_is_a_live_line_on_a_terminal_and_logs_nothing(caplog):
    stream = Terminal()
    with caplog.at_level(logging.INFO, logger="kinerja.progress"), progress("2026-10: loading files", 3, stream) as bar:
        for name in ("a.csv", "b.csv", "c.csv"):
            bar.step(name)
    shown = stream.getvalue()
    assert "\r" in shown and "2026-10: loading files: 3/3" in shown and "c.csv" in shown
    assert "\n" not in shown.rstrip("\n")  # one line, redrawn in place
    assert caplog.records == []


def test_a_small_change_of_a_rate_does_not_fill_the_axis():
    low, high = charts.y_range(Panel("kehadiran", {"k": [0.992, 0.996, None]}, axis="percent", base=None))
    assert high <= 1.0 and high - low >= 0.10  # 99,2 % and 99,6 % sit close together, not at both ends
    assert low <= 0.992 and high >= 0.996


def test_counts_and_deductions_are_read_from_zero_and_thresholds_stay_in_view():
    low, high = charts.y_range(Panel("TL", {"TL": [1.48, 1.62, 1.50]}))
    assert low == 0 and high > 1.62
    low, high = charts.y_range(Panel("IKM", {"IKM": [83.5, 83.6]}, base=None, min_span=10,
                                     lines=((76.61, "Di Bawah"), (88.31, "Di Atas"))))
    assert low < 76.61 and high > 88.31


def test_a_panel_without_data_says_so():
    assert charts.y_range(Panel("kehadiran", {"k": [None, None]}, axis="percent", base=None)) is None
    svg = charts.trend_panels("gambar-1", ["Agu 2026", "Sep 2026"],
                              [Panel("kehadiran", {"k": [None, None]}, axis="percent", base=None),
                               Panel("TL", {"TL": [1.0, 2.0]})])
    assert svg.count(charts.NO_DATA) == 1
    assert "1,00" in svg and "2,00" in svg  # the values are written at the points


def test_the_funnel_has_a_legend_for_its_control_limits():
    svg = charts.funnel_plot("gambar-2", [FunnelPoint("A", 20, 2), FunnelPoint("B", 40, 3)], "bagian")
    assert "batas kendali 95 %" in svg and "batas kendali 99,8 %" in svg and "rata-rata kota" in svg
