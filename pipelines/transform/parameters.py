"""The parameters every SQL model of a run receives: the period's dates, the runs of earlier
periods it reads, and each threshold of config/rules.yml under one flat name."""

from __future__ import annotations

import json
from datetime import timedelta

from pipelines.export.labels import SOURCE_NAMES
from pipelines.load.registry import Run
from pipelines.rules_file import rules as read_rules, rules_version


# The rating categories, lowest first: how far apart two ratings are (R7 disagreement).
RATING_ORDER = ["Di Bawah Ekspektasi", "Sesuai Ekspektasi", "Di Atas Ekspektasi"]


def model_params(conn, run: Run) -> dict:
    period = run.period
    previous = period.shift(-1)
    with conn.cursor() as cur:
        cur.execute("select run_id from meta.staged_period where period = %s", (str(previous),))
        row = cur.fetchone()
    rules = read_rules()
    schedules, attendance, tpp = rules["schedules"], rules["attendance"], rules["tpp"]
    perilaku, service = rules["perilaku"], rules["hasil_kerja"]["service_counter"]
    field, recs = rules["hasil_kerja"]["field_officer"], rules["recommendations"]
    return {
        "run": run.run_id,
        "period": str(period),
        "start": period.first_day,
        "last": period.end_day - timedelta(days=1),
        "prev_period": str(previous),
        "prev_run": row[0] if row else None,
        "year_start": f"{period.year:04d}-01",
        "baseline_months": field["baseline_months"],
        "baseline_periods": [str(period.shift(-k)) for k in range(1, field["baseline_months"] + 1)],
        "rules_version": rules_version(),
        "source_names": json.dumps(SOURCE_NAMES),  # the words of status_reason
        # R2
        "checkin_before_hours": schedules["shift_checkin_before_hours"],
        "checkout_after_hours": schedules["shift_checkout_after_hours"],
        "noon": schedules["undirected_single_punch_noon"],
        "band": attendance["category_upper_minutes"],
        # R3, R4
        "deduction": tpp["deduction_by_category"],
        "absent_day_pct": tpp["deduction_per_absent_day"],
        "tk_run_full": tpp["consecutive_absent_days_full"],
        "tpp_cap": tpp["cap"],
        "flags": json.dumps(rules["discipline"]["flags"]),
        "consecutive_flag": rules["discipline"]["consecutive_flag"],
        # R6
        "min_days": perilaku["min_days"],
        "below_absent_days": perilaku["below_absent_days"],
        "below_tpp_pct": perilaku["below_tpp_pct"],
        "above_max_late_early": perilaku["above_max_late_early"],
        # R7-R10
        "sc_min_tickets": service["min_tickets"],
        "sc_min_responses": service["min_responses"],
        "sc_below_sla": service["below_sla"],
        "sc_below_ikm": service["below_ikm"],
        "sc_above_sla": service["above_sla"],
        "sc_above_ikm": service["above_ikm"],
        "fo_min_days": field["min_assigned_days"],
        "fo_above_change_pct": field["above_change_pct"],
        "fo_below_change_pct": field["below_change_pct"],
        "skp_disagreement": rules["hasil_kerja"]["supervisor"]["disagreement_categories"],
        "rating_order": RATING_ORDER,
        "counted_detections": field["counted_detections"],
        "ikm_scale": rules["ikm"]["scale"],
        "ikm_categories": json.dumps(rules["ikm"]["categories"]),
        # R11, R12
        "matrix": json.dumps(rules["predikat"]["matrix"]),
        "predikat_values": json.dumps(rules["predikat"]["values"]),
        "reward_predikat": recs["reward_predikat"],
        "service_ikm_below": recs["service_ikm_below"],
        "nrr_below": recs["nrr_below"],
        "nrr_min_responses": recs["nrr_min_responses"],
        "support_predikat": recs["support_predikat"],
    }
