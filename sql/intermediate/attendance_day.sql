-- Grain: one row per duty of intermediate.duty_day (R2): the punches matched to it, check-in and
-- check-out, late and early minutes, TL/PSW categories, the day's status and TPP deduction (R3).
insert into intermediate.attendance_day
with duty as (
    select d.*, e.schedule
    from intermediate.duty_day d
    join intermediate.employee e on e.run_id = d.run_id and e.nip = d.nip
    where d.run_id = %(run)s
),

-- Identical punches (same nip and time) are one punch; the first in file order stays. Sorted by
-- the NIP's bytes (collate "C": same groups, abbreviated keys: a faster sort than C.UTF-8).
punch as (
    select distinct on (nip collate "C", punched_at) nip, punched_at, direction
    from staging.attendance
    where run_id = %(run)s
    order by nip collate "C", punched_at, file_no, row_number
),

-- A punch of this period that the period before loaded (a night shift's check-out on the first
-- day, R2) belongs to that period: this period ignores it.
previous_period_punch as (
    select distinct nip, punched_at
    from staging.attendance
    where run_id = %(prev_run)s and punched_at >= %(start)s::date::timestamp at time zone 'Asia/Jakarta'
),

-- REGULAR: the punches of the duty's local date. Check-in: the earliest punch IN or without
-- direction; check-out: the latest OUT or without direction other than the check-in punch. The
-- check-in can only be the latest undirected punch when it is the only one, so no sort is needed.
regular_day as (
    select p.nip, (p.punched_at at time zone 'Asia/Jakarta')::date as day,
           count(*) as punches,
           min(p.punched_at) filter (where p.direction is distinct from 'OUT') as first_in,
           max(p.punched_at) filter (where p.direction = 'OUT') as last_out,
           max(p.punched_at) filter (where p.direction is null) as last_undirected,
           min(p.direction) as direction
    from punch p
    where exists (select from duty d where d.nip = p.nip and d.schedule = 'REGULAR')
    group by 1, 2
),

regular as (
    select d.nip, d.day, d.planned_start, d.planned_end, d.leave_type,
           coalesce(r.punches, 0) as punches,
           case when r.punches = 1 and r.direction is null then
                    case when (r.first_in at time zone 'Asia/Jakarta')::time < %(noon)s::time
                         then r.first_in end
                else r.first_in end as check_in,
           case when r.punches = 1 and r.direction is null then
                    case when (r.first_in at time zone 'Asia/Jakarta')::time >= %(noon)s::time
                         then r.first_in end
                when r.last_undirected = r.first_in then r.last_out
                else greatest(r.last_out, r.last_undirected) end as check_out,
           r.punches > 0 as day_punched,
           1 as duty_of_day
    from duty d
    left join regular_day r using (nip, day)
    where d.schedule = 'REGULAR'
),

-- SHIFT: punches matched by time window whatever their date; direction ignored.
shift_punch as (
    select p.* from punch p
    where exists (select from duty d where d.nip = p.nip and d.schedule = 'SHIFT')
      and not exists (select from previous_period_punch x
                      where x.nip = p.nip and x.punched_at = p.punched_at)
),

-- Each punch with the shift windows it falls in: check-in [start - 2 h, end], check-out
-- [start, end + 4 h].
shift_match as (
    select d.nip, d.planned_start, p.punched_at,
           p.punched_at <= d.planned_end as in_checkin_window,
           p.punched_at >= d.planned_start as in_checkout_window
    from duty d
    join shift_punch p
      on p.nip = d.nip
     and p.punched_at between d.planned_start - interval '1 hour' * %(checkin_before_hours)s
                          and d.planned_end + interval '1 hour' * %(checkout_after_hours)s
    where d.schedule = 'SHIFT'
),

-- A check-out window punch earlier than the check-in would itself be in the check-in window, so
-- the latest one is the check-in punch only when no other follows it.
shift_day as (
    select nip, planned_start, count(*) as punches,
           min(punched_at) filter (where in_checkin_window) as first_in,
           max(punched_at) filter (where in_checkout_window) as last_out
    from shift_match
    group by 1, 2
),

-- Two shifts on one day (a split shift) make one working day: present when either was punched
-- (the other then lacks its check-in and check-out), absent once.
shift as (
    select d.nip, d.day, d.planned_start, d.planned_end, d.leave_type,
           coalesce(s.punches, 0) as punches,
           s.first_in as check_in,
           nullif(s.last_out, s.first_in) as check_out,
           coalesce(bool_or(s.punches > 0) over (partition by d.nip, d.day), false) as day_punched,
           row_number() over (partition by d.nip, d.day order by d.planned_start) as duty_of_day
    from duty d
    left join shift_day s using (nip, planned_start)
    where d.schedule = 'SHIFT'
),

matched as (
    select * from regular
    union all
    select * from shift
),

-- Excused: no lateness measured. Present: at least one punch that day (SHIFT: matched to a duty).
measured as (
    select m.*,
           case when m.leave_type is not null then 'EXCUSED'
                when m.day_punched then 'PRESENT'
                else 'ABSENT' end as day_status,
           -- floor of whole minutes: 07:30:59 is on time, 07:31:00 one minute late (date_part's
           -- float8 is exact for microsecond intervals here, and much cheaper than extract's numeric)
           case when m.check_in is not null
                then greatest(floor(date_part('epoch', m.check_in - m.planned_start) / 60), 0)::integer
           end as late,
           case when m.check_out is not null
                then greatest(floor(date_part('epoch', m.planned_end - m.check_out) / 60), 0)::integer
           end as early
    from matched m
),

-- TL and PSW alike: a missing check-in (check-out) is category 4.
categorised as (
    select m.*,
           case when m.day_status = 'PRESENT'
                then intermediate.tl_psw_category(m.late, %(band)s::int[]) end as tl,
           case when m.day_status = 'PRESENT'
                then intermediate.tl_psw_category(m.early, %(band)s::int[]) end as psw
    from measured m
),

final as (
    select %(run)s::bigint as run_id, nip, day, planned_start, planned_end, leave_type,
           punches::integer, check_in, check_out,
           case when day_status = 'PRESENT' then late end as late_minutes,
           case when day_status = 'PRESENT' then early end as early_minutes,
           tl, psw, day_status,
           coalesce((%(deduction)s::numeric[])[tl], 0) + coalesce((%(deduction)s::numeric[])[psw], 0)
             + case when day_status = 'ABSENT' and duty_of_day = 1 then %(absent_day_pct)s::numeric else 0 end
             as deduction_pct
    from categorised
)

select * from final;
