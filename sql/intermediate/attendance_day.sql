-- Grain: one row per duty of intermediate.duty_day (R2): the punches matched to it, check-in and
-- check-out, late and early minutes, TL/PSW categories, the day's status and TPP deduction (R3).
insert into intermediate.attendance_day
-- Tables as parameters: the run's own partitions, whose statistics the planner has (score.py).
-- Each schedule reads its own duties: the partition rather than a copy of all of them.
with duty as not materialized (
    select d.*, e.schedule
    from %(intermediate.duty_day)s d
    join %(intermediate.employee)s e using (nip)
),

-- A punch of this period that the period before loaded (a night shift's check-out on the first
-- day, R2) belongs to that period: this period ignores it.
previous_period_punch as (
    select distinct nip, punched_at
    from staging.attendance
    where run_id = %(prev_run)s and punched_at >= %(start)s::date::timestamp at time zone 'Asia/Jakarta'
),

-- Punches and duties are matched by nip_key, the NIP as a number: a staged NIP is 18 digits
-- (R5: a row with any other NIP is rejected), so the number names the same employee, and
-- sorting, grouping and hashing a bigint is several times cheaper than a text in C.UTF-8.

-- Identical punches (same nip and time) are one punch; the first in file order stays.
-- REGULAR: every punch is sorted once by employee and local date, the order regular_day groups
-- by (the date is a function of the time, so it does not change which punches are identical);
-- only REGULAR duties look their days up, so other employees' punches need not be filtered
-- out first (a hash lookup per punch costs more than sorting them along).
regular_punch as (
    select distinct on (1, 2, a.punched_at)
           a.nip::bigint as nip_key, (a.punched_at at time zone 'Asia/Jakarta')::date as day,
           a.punched_at, a.direction
    from %(staging.attendance)s a
    order by 1, 2, a.punched_at, a.file_no, a.row_number
),

-- REGULAR: the punches of the duty's local date. Check-in: the earliest punch IN or without
-- direction; check-out: the latest OUT or without direction other than the check-in punch. The
-- check-in can only be the latest undirected punch when it is the only one, so no sort is needed.
regular_day as (
    select nip_key, day,
           count(*) as punches,
           min(punched_at) filter (where direction is distinct from 'OUT') as first_in,
           max(punched_at) filter (where direction = 'OUT') as last_out,
           max(punched_at) filter (where direction is null) as last_undirected,
           min(direction) as direction
    from regular_punch
    group by nip_key, day
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
    left join regular_day r on r.nip_key = d.nip::bigint and r.day = d.day
    where d.schedule = 'REGULAR'
),

-- SHIFT: punches matched by time window whatever their date; direction ignored (so identical
-- punches need no file order).
shift_punch as (
    select distinct a.nip::bigint as nip_key, a.punched_at
    from %(staging.attendance)s a
    join %(intermediate.employee)s e on e.nip = a.nip and e.schedule = 'SHIFT'
    where not exists (select from previous_period_punch x
                      where x.nip = a.nip and x.punched_at = a.punched_at)
),

-- Each punch with the shift windows it falls in: check-in [start - 2 h, end], check-out
-- [start, end + 4 h]. A window is joined on each local date it spans (a day or two), so each
-- punch meets the windows of its own date only, not every duty of its employee (materialized:
-- inlined, the planner would join the punches with every shift duty by NIP first). The shift
-- duties themselves, read once.
shift_window as materialized (
    select d.nip, d.nip::bigint as nip_key, d.day, d.planned_start, d.planned_end, d.leave_type,
           d.planned_start - interval '1 hour' * %(checkin_before_hours)s as window_start,
           d.planned_end + interval '1 hour' * %(checkout_after_hours)s as window_end
    from duty d
    where d.schedule = 'SHIFT'
),

shift_match as (
    select w.nip_key, w.planned_start, p.punched_at,
           p.punched_at <= w.planned_end as in_checkin_window,
           p.punched_at >= w.planned_start as in_checkout_window
    from shift_window w
    cross join generate_series((w.window_start at time zone 'Asia/Jakarta')::date,
                               (w.window_end at time zone 'Asia/Jakarta')::date, interval '1 day') spanned(day)
    join shift_punch p
      on p.nip_key = w.nip_key
     and (p.punched_at at time zone 'Asia/Jakarta')::date = spanned.day::date
     and p.punched_at between w.window_start and w.window_end
),

-- A check-out window punch earlier than the check-in would itself be in the check-in window, so
-- the latest one is the check-in punch only when no other follows it.
shift_day as (
    select nip_key, planned_start, count(*) as punches,
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
           coalesce(bool_or(s.punches > 0) over (partition by d.nip_key, d.day), false) as day_punched,
           row_number() over (partition by d.nip_key, d.day order by d.planned_start) as duty_of_day
    from shift_window d
    left join shift_day s using (nip_key, planned_start)
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
