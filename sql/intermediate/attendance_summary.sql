-- Grain: one row per employee active in the period: attendance figures (R2) and TPP deduction
-- (R3). Runs of unexcused absence (TK) are broken by a present or excused duty only; the run still
-- open at the end of the period before (as published) continues into this one.
insert into intermediate.attendance_summary
with employee as (
    select nip from intermediate.employee where run_id = %(run)s
),

duty as (
    select * from intermediate.attendance_day where run_id = %(run)s
),

-- One status a working day (a split shift's two duties share it), numbered by the breaks before.
working_day as (
    select d.nip, d.day, d.day_status,
           count(*) filter (where d.day_status <> 'ABSENT') over (partition by d.nip order by d.day) as breaks_before
    from (select distinct nip, day, day_status from duty) d
),

carried as (
    select s.nip, coalesce(s.tk_run_trailing, 0) as days
    from mart.employee_scorecard s
    where s.period = %(prev_period)s
),

per_employee as (
    select nip,
           count(distinct day)::integer as workdays_expected,
           count(distinct day) filter (where day_status = 'PRESENT')::integer as days_present,
           count(distinct day) filter (where day_status = 'EXCUSED')::integer as days_excused,
           count(distinct day) filter (where day_status = 'ABSENT')::integer as days_absent_unexcused,
           count(tl)::integer as late_count,
           count(psw)::integer as early_leave_count,
           coalesce(sum(late_minutes), 0)::integer as late_minutes,
           sum(deduction_pct) as occurrence_deduction_pct
    from duty
    group by nip
),

breaks as (
    select nip, max(breaks_before) as breaks from working_day group by nip
),

-- One row per run of consecutive TK working days; the first run (no break before it) carries on the
-- previous period's trailing run.
tk_run as (
    select d.nip, d.breaks_before,
           count(*) + case when d.breaks_before = 0 then coalesce(max(c.days), 0) else 0 end as days
    from working_day d
    left join carried c using (nip)
    where d.day_status = 'ABSENT'
    group by d.nip, d.breaks_before
),

runs as (
    select b.nip,
           coalesce(max(r.days) filter (where r.breaks_before = 0), 0) as leading,
           coalesce(max(r.days) filter (where r.breaks_before = b.breaks), 0) as trailing,
           coalesce(max(r.days), 0) as longest
    from breaks b
    left join tk_run r using (nip)
    group by b.nip, b.breaks
),

final as (
    select %(run)s::bigint as run_id, e.nip,
           coalesce(p.workdays_expected, 0) as workdays_expected,
           coalesce(p.days_present, 0) as days_present,
           coalesce(p.days_excused, 0) as days_excused,
           coalesce(p.days_absent_unexcused, 0) as days_absent_unexcused,
           coalesce(p.late_count, 0) as late_count,
           coalesce(p.early_leave_count, 0) as early_leave_count,
           coalesce(p.late_minutes, 0) as late_minutes,
           coalesce(c.days, 0) as tk_run_carried,
           coalesce(r.leading, 0) as tk_run_leading,
           -- no duty in the period (e.g. no roster): nothing breaks the carried run
           case when p.nip is null then coalesce(c.days, 0) else r.trailing end as tk_run_trailing,
           coalesce(r.longest, 0) as tk_run_longest,
           coalesce(p.occurrence_deduction_pct, 0) as occurrence_deduction_pct,
           round(least(%(tpp_cap)s::numeric,
                       case when coalesce(r.longest, 0) >= %(tk_run_full)s then %(tpp_cap)s::numeric
                            else coalesce(p.occurrence_deduction_pct, 0) end), 2) as tpp_deduction_pct
    from employee e
    left join per_employee p using (nip)
    left join runs r using (nip)
    left join carried c using (nip)
)

select * from final;
