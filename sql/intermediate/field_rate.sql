-- Grain: one row per employee with area assignments in the period (R10). Only the detections
-- configured as counted (CAMERA, REPORT) count; PATROL records are the officer's own enforcement
-- and are shown, never rewarded. Baseline: the area's counted violations over the (up to
-- baseline_months) previous months whose traffic_violations were loaded (with counted detections, and no file of
-- them refused), per calendar day of those months only; the officer's baseline weights the
-- areas by assigned days.
insert into intermediate.field_rate
with assigned as (
    select distinct a.nip, a.area_code, d::date as day
    from staging.area_assignments a
    cross join generate_series(greatest(a.date_from, %(start)s::date),
                               least(a.date_to, %(last)s::date), interval '1 day') d
    where a.run_id = %(run)s
),

area_day as (
    select area_code, (occurred_at at time zone 'Asia/Jakarta')::date as day, count(*) as violations
    from staging.traffic_violations
    where run_id = %(run)s and detected_by = any(%(counted_detections)s::text[])
    group by 1, 2
),

baseline_run as (
    select p.run_id, p.period,
           extract(day from (to_date(p.period, 'YYYY-MM') + interval '1 month' - interval '1 day'))::integer as days
    from meta.staged_period p
    where p.period = any(%(baseline_periods)s::text[])
      and exists (select from staging.traffic_violations t
                  where t.run_id = p.run_id and t.detected_by = any(%(counted_detections)s::text[]))
      -- a month with a refused violations file is partial: not a baseline
      and not exists (select from meta.source_file f
                      where f.run_id = p.run_id and f.source = 'traffic_violations' and f.outcome = 'REJECTED')
),

area_baseline as (
    select t.area_code, count(*)::numeric / (select sum(days) from baseline_run) as rate
    from staging.traffic_violations t
    join baseline_run b using (run_id)
    where t.detected_by = any(%(counted_detections)s::text[])
    group by t.area_code
),

officer as (
    select a.nip,
           count(distinct a.day)::integer as assigned_days,
           coalesce(sum(v.violations), 0)::integer as counted_violations,
           -- per assigned day, like the current rate (two areas on one day add up on both sides)
           case when exists (select from baseline_run)
                then sum(coalesce(b.rate, 0)) / count(distinct a.day) end as baseline_rate
    from assigned a
    left join area_day v using (area_code, day)
    left join area_baseline b using (area_code)
    group by a.nip
),

patrol as (
    select officer_nip as nip, count(*)::integer as records
    from staging.traffic_violations
    where run_id = %(run)s and detected_by = 'PATROL' and officer_nip is not null
    group by 1
),

final as (
    select %(run)s::bigint as run_id, o.nip, o.assigned_days, o.counted_violations,
           o.counted_violations::numeric / o.assigned_days as current_rate,
           nullif(o.baseline_rate, 0) as baseline_rate,
           (select string_agg(period, ', ' order by period) from baseline_run) as baseline_periods,
           round((o.counted_violations::numeric / o.assigned_days - nullif(o.baseline_rate, 0))
                 / nullif(o.baseline_rate, 0) * 100, 2) as change_pct,
           coalesce(p.records, 0) as patrol_records
    from officer o
    left join patrol p using (nip)
)

select * from final;
