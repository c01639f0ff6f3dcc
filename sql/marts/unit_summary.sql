-- Grain: one row per (period, unit_code) with employees in the period: headcount, statuses,
-- predikat counts, mean attendance rate, the unit's SLA rate (all its tickets) and IKM (all its
-- responses), and the sources not PRESENT for it.
insert into mart.unit_summary (
    period, unit_code, unit_name, headcount, scored, partial, insufficient_data, sangat_baik, baik,
    butuh_perbaikan, kurang_misconduct, sangat_kurang, mean_attendance_rate, tickets_completed,
    sla_met_rate, ikm, ikm_responses, missing_sources, rating_disagreements, rules_version, run_id,
    published_at
)
with scorecard as (
    select * from intermediate.scorecard where run_id = %(run)s
),

people as (
    select unit_code, max(unit_name) as unit_name, count(*)::integer as headcount,
           count(*) filter (where status = 'SCORED')::integer as scored,
           count(*) filter (where status = 'PARTIAL')::integer as partial,
           count(*) filter (where status = 'INSUFFICIENT_DATA')::integer as insufficient_data,
           count(*) filter (where predikat = 'Sangat Baik')::integer as sangat_baik,
           count(*) filter (where predikat = 'Baik')::integer as baik,
           count(*) filter (where predikat = 'Butuh Perbaikan')::integer as butuh_perbaikan,
           count(*) filter (where predikat = 'Kurang/Misconduct')::integer as kurang_misconduct,
           count(*) filter (where predikat = 'Sangat Kurang')::integer as sangat_kurang,
           round(avg(attendance_rate), 4) as mean_attendance_rate,
           count(*) filter (where rating_disagreement)::integer as rating_disagreements
    from scorecard
    group by unit_code
),

sla as (
    select unit_code, count(*)::integer as tickets_completed,
           round(count(*) filter (where met)::numeric / count(*), 4) as sla_met_rate
    from intermediate.ticket_sla
    where run_id = %(run)s
    group by unit_code
),

-- The unit's IKM: R8 over all responses to the unit's tickets.
ikm as (
    select unit_code, count(*)::integer as responses,
           intermediate.ikm(array[avg(u1::numeric), avg(u2::numeric), avg(u3::numeric),
                                  avg(u4::numeric), avg(u5::numeric), avg(u6::numeric),
                                  avg(u7::numeric), avg(u8::numeric), avg(u9::numeric)],
                            %(ikm_scale)s) as ikm
    from intermediate.survey_response
    where run_id = %(run)s
    group by unit_code
),

missing as (
    select unit_code, string_agg(source || ' (' || status || ')', ', ' order by source) as sources
    from meta.source_coverage
    where run_id = %(run)s and status <> 'PRESENT'
    group by unit_code
)

select %(period)s, p.unit_code, p.unit_name, p.headcount, p.scored, p.partial, p.insufficient_data,
       p.sangat_baik, p.baik, p.butuh_perbaikan, p.kurang_misconduct, p.sangat_kurang,
       p.mean_attendance_rate, s.tickets_completed, s.sla_met_rate, i.ikm, i.responses, m.sources,
       p.rating_disagreements, %(rules_version)s, %(run)s, now()
from people p
left join sla s using (unit_code)
left join ikm i using (unit_code)
left join missing m using (unit_code);
