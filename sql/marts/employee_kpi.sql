-- Grain: one row per (period, nip, kpi_code): every KPI behind the scorecard, with its numerator,
-- denominator, the target that decides a rating, and whether there was enough data to rate on it.
insert into mart.employee_kpi (
    period, nip, kpi_code, value, numerator, denominator, target, sufficient, rule, sources, note,
    rules_version, run_id, published_at
)
with scorecard as (
    select s.*, f.current_rate, f.baseline_rate, f.baseline_periods, f.counted_violations,
           f.patrol_records,
           s.days_present is not null
             and s.workdays_expected - s.days_excused >= %(min_days)s as attendance_sufficient
    from intermediate.scorecard s
    left join intermediate.field_rate f on f.run_id = s.run_id and f.nip = s.nip
    where s.run_id = %(run)s
),

kpi as (
    select s.nip, k.*
    from scorecard s
    cross join lateral (values
        ('WORKDAYS_EXPECTED', s.workdays_expected::numeric, null::numeric, null::numeric, null::text,
         true, 'R1', 'employees, holidays, rosters', null::text),
        ('DAYS_PRESENT', s.days_present, null, null, null, s.attendance_sufficient, 'R2', 'attendance', s.attendance_coverage),
        ('DAYS_EXCUSED', s.days_excused, null, null, null, true, 'R2', 'leave', null),
        ('DAYS_ABSENT_UNEXCUSED', s.days_absent_unexcused, null, null,
         'Di Bawah Ekspektasi at >= ' || %(below_absent_days)s, s.attendance_sufficient, 'R2, R6', 'attendance', s.attendance_coverage),
        ('LATE_COUNT', s.late_count, null, null, null, s.attendance_sufficient, 'R2', 'attendance', s.attendance_coverage),
        ('EARLY_LEAVE_COUNT', s.early_leave_count, null, null, null, s.attendance_sufficient, 'R2', 'attendance', s.attendance_coverage),
        ('LATE_MINUTES', s.late_minutes, null, null, null, s.attendance_sufficient, 'R2', 'attendance', s.attendance_coverage),
        ('ATTENDANCE_RATE', s.attendance_rate, s.days_present,
         case when s.days_present is not null then s.workdays_expected - s.days_excused end,
         null, s.attendance_sufficient, 'R2', 'attendance, leave', s.attendance_coverage),
        ('TPP_DEDUCTION_PCT', s.tpp_deduction_pct, null, null,
         'Di Bawah Ekspektasi at >= ' || %(below_tpp_pct)s, s.attendance_sufficient, 'R3', 'attendance, leave', s.attendance_coverage),
        ('UNEXCUSED_DAYS_YTD', s.unexcused_days_ytd, null, null, null, true, 'R4',
         'attendance (this period) and published earlier periods of the year', null)
    ) k(kpi_code, value, numerator, denominator, target, sufficient, rule, sources, note)

    union all
    select s.nip, 'TICKETS_COMPLETED', s.tickets_completed, null, null, '>= ' || %(sc_min_tickets)s,
           s.tickets_completed >= %(sc_min_tickets)s, 'R7, R9', 'service_tickets', s.hasil_kerja_coverage
    from scorecard s where s.tickets_completed is not null

    union all
    select s.nip, 'SLA_MET_RATE', s.sla_met_rate, s.tickets_sla_met, s.tickets_completed,
           'Di Atas Ekspektasi at >= ' || %(sc_above_sla)s || ', Di Bawah Ekspektasi below ' || %(sc_below_sla)s,
           s.tickets_completed >= %(sc_min_tickets)s, 'R7, R9', 'service_tickets, service_catalog, holidays', null
    from scorecard s where s.sla_met_rate is not null

    union all
    select s.nip, 'IKM', s.ikm, null, s.ikm_responses,
           'Di Atas Ekspektasi at >= ' || %(sc_above_ikm)s || ', Di Bawah Ekspektasi below ' || %(sc_below_ikm)s,
           s.ikm_responses >= %(sc_min_responses)s, 'R7, R8', 'service_surveys, service_tickets',
           'denominator: survey responses; category ' || s.ikm_category
    from scorecard s where s.ikm is not null

    union all
    select s.nip, 'NRR_' || u.element, u.nrr, null, s.ikm_responses, '>= ' || %(nrr_below)s,
           s.ikm_responses >= %(nrr_min_responses)s, 'R8, R12', 'service_surveys, service_tickets', null
    from scorecard s
    cross join lateral (values ('U6', s.nrr_u6), ('U7', s.nrr_u7)) u(element, nrr)
    where u.nrr is not null

    union all
    select s.nip, 'AREA_VIOLATION_CHANGE_PCT', s.area_violation_change_pct, s.current_rate, s.baseline_rate,
           'Di Atas Ekspektasi at <= ' || %(fo_above_change_pct)s || ', Di Bawah Ekspektasi at >= ' || %(fo_below_change_pct)s,
           s.assigned_days >= %(fo_min_days)s and s.area_violation_change_pct is not null,
           'R7, R10', 'traffic_violations, area_assignments',
           'numerator: counted violations per assigned day (' || s.counted_violations || ' over '
           || s.assigned_days || ' days); denominator: baseline per day'
           || coalesce(' over ' || s.baseline_periods, ' (no earlier month loaded)')
           || '; PATROL records shown, not counted: ' || s.patrol_records
    from scorecard s where s.assigned_days is not null

    -- R7: the objective and the supervisor's hasil kerja, categories apart (a fairness signal)
    union all
    select s.nip, 'HASIL_KERJA_GAP',
           abs(array_position(%(rating_order)s::text[], s.rating_hasil_kerja_objektif)
               - array_position(%(rating_order)s::text[], s.rating_hasil_kerja_atasan)),
           null, null, 'flagged at >= ' || %(skp_disagreement)s || ' categories apart', true, 'R7',
           'skp_ratings and the role''s objective measure',
           'objektif ' || s.rating_hasil_kerja_objektif || '; atasan (SKP) ' || s.rating_hasil_kerja_atasan
           || '; dipublikasikan: objektif'
    from scorecard s where s.rating_disagreement is not null

    -- R3 in Rupiah: numerator the base allowance, value the deduction
    union all
    select s.nip, 'TPP_DEDUCTION_RP', s.tpp_deduction_rp, s.tpp_base_rp, null, null,
           s.tpp_deduction_rp is not null, 'R3', 'tpp_base, attendance, leave',
           'potongan ' || s.tpp_deduction_pct || ' %% dari TPP dasar; dibayar ' || s.tpp_payable_rp
    from scorecard s where s.tpp_base_rp is not null
)

select %(period)s, nip, kpi_code, value, numerator, denominator, target, sufficient, rule, sources, note,
       %(rules_version)s, %(run)s, now()
from kpi;
