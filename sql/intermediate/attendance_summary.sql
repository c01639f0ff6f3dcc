-- Grain: one row per employee active in the period: attendance figures (R2) and TPP deduction
-- (R3). Runs of unexcused absence (TK) are broken by a present or excused duty only; the run still
-- open at the end of the period before (as published) continues into this one.
insert into intermediate.attendance_summary
-- Tables as parameters: the run's own partitions, whose statistics the planner has (score.py).
with employee as (
    select nip from %(intermediate.employee)s
),

-- Read twice, by working_day and per_employee: each reads the partition rather than a copy of it.
duty as not materialized (
    select * from %(intermediate.attendance_day)s
),

-- One status a working day (a split shift's two duties share it, attendance_day), numbered by
-- the breaks before. The only sort of the model: by the NIP's bytes (collate "C": abbreviated
-- keys) and the day, for the distinct days and the window alike.
working_day as (
    select d.nip, d.day, d.day_status,
           count(*) filter (where d.day_status <> 'ABSENT') over (partition by d.nip order by d.day) as breaks_before
    from (select distinct on (nip collate "C", day) nip collate "C" as nip, day, day_status
          from duty
          order by nip collate "C", day) d
),

carried as (
    select s.nip, coalesce(s.tk_run_trailing, 0) as days
    from mart.employee_scorecard s
    where s.period = %(prev_period)s
),

-- Days counted on working_day (one row a day), duties on duty: both grouped by a hash on the NIP
-- alone, so the duties need no sort (count(distinct day) would sort them).
day_count as (
    select nip,
           count(*)::integer as workdays_expected,
           count(*) filter (where day_status = 'PRESENT')::integer as days_present,
           count(*) filter (where day_status = 'EXCUSED')::integer as days_excused,
           count(*) filter (where day_status = 'ABSENT')::integer as days_absent_unexcused,
           max(breaks_before) as breaks
    from working_day
    group by nip
),

per_employee as (
    select nip,
           count(tl)::integer as late_count,
           count(psw)::integer as early_leave_count,
           coalesce(sum(late_minutes), 0)::integer as late_minutes,
           sum(deduction_pct) as occurrence_deduction_pct
    from duty
    group by nip
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
    from day_count b
    left join tk_run r using (nip)
    group by b.nip, b.breaks
),

final as (
    select %(run)s::bigint as run_id, e.nip,
           coalesce(w.workdays_expected, 0) as workdays_expected,
           coalesce(w.days_present, 0) as days_present,
           coalesce(w.days_excused, 0) as days_excused,
           coalesce(w.days_absent_unexcused, 0) as days_absent_unexcused,
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
    left join day_count w using (nip)
    left join per_employee p using (nip)
    left join runs r using (nip)
    left join carried c using (nip)
)

select * from final;
