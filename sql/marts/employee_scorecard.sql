-- Grain: one row per (period, nip) for every employee active in the period (contracts.md §3).
insert into mart.employee_scorecard (
    period, nip, name, unit_code, unit_name, job_type, role, employment_type, schedule,
    status, status_reason, workdays_expected, days_present, days_excused, days_absent_unexcused,
    late_count, early_leave_count, late_minutes, attendance_rate, tpp_deduction_pct, tk_run_trailing,
    unexcused_days_ytd, discipline_flag, tickets_completed, sla_met_rate, ikm, ikm_category,
    ikm_responses, assigned_days, area_violation_change_pct, rating_perilaku, rating_hasil_kerja,
    predikat, predikat_value, rating_hasil_kerja_objektif, rating_hasil_kerja_atasan,
    rating_perilaku_atasan, rating_hasil_kerja_basis, rating_disagreement, skp_evaluator_nip,
    tpp_base_rp, tpp_deduction_rp, tpp_payable_rp, rules_version, run_id, published_at
)
select period, nip, name, unit_code, unit_name, job_type, role, employment_type, schedule,
       status, status_reason, workdays_expected, days_present, days_excused, days_absent_unexcused,
       late_count, early_leave_count, late_minutes, attendance_rate, tpp_deduction_pct, tk_run_trailing,
       unexcused_days_ytd, discipline_flag, tickets_completed, sla_met_rate, ikm, ikm_category,
       ikm_responses, assigned_days, area_violation_change_pct, rating_perilaku, rating_hasil_kerja,
       predikat, predikat_value, rating_hasil_kerja_objektif, rating_hasil_kerja_atasan,
       rating_perilaku_atasan, rating_hasil_kerja_basis, rating_disagreement, skp_evaluator_nip,
       tpp_base_rp, tpp_deduction_rp, tpp_payable_rp, %(rules_version)s, run_id, now()
from intermediate.scorecard
where run_id = %(run)s;
