-- Grain: one row per employee and planned duty in the period (R1). REGULAR: each working day
-- while active, at the unit's hours that day; SHIFT: each roster row while active (holidays do
-- not apply; a shift whose end is not after its start ends the next day). leave_type: the leave
-- that excuses the day (R2), the first in file order when several cover it.
insert into intermediate.duty_day
-- Tables as parameters: the run's own partitions, whose statistics the planner has (score.py).
-- Not materialized, so that its statistics reach the joins (how many days each employee is active).
with employee as not materialized (
    select * from %(intermediate.employee)s
),

regular as (
    select e.nip, c.day,
           (c.day + coalesce(u.start_time, d.start_time)) at time zone 'Asia/Jakarta' as planned_start,
           (c.day + coalesce(u.end_time, d.end_time)) at time zone 'Asia/Jakarta' as planned_end
    from employee e
    join %(intermediate.calendar_day)s c
      on c.is_workday and c.day between e.d_from and e.d_to
    join %(intermediate.schedule_day)s d
      on d.unit_code = '*' and d.day = c.day
    left join %(intermediate.schedule_day)s u
      on u.unit_code = e.unit_code and u.day = c.day
    where e.schedule = 'REGULAR'
),

shift as (
    select distinct e.nip, r.shift_date as day,
           (r.shift_date + r.shift_start) at time zone 'Asia/Jakarta' as planned_start,
           (r.shift_date + r.shift_end
              + case when r.shift_end <= r.shift_start then interval '1 day' else interval '0' end
           ) at time zone 'Asia/Jakarta' as planned_end
    from employee e
    join %(staging.rosters)s r
      on r.nip = e.nip and r.shift_date between e.d_from and e.d_to
    where e.schedule = 'SHIFT'
),

-- The period's days as offsets from its first: constant bounds, so the planner knows how many
-- days a leave covers (not the 1000 rows it assumes of a series of dates) and joins by hash.
leave_day as (
    select distinct on (l.nip, d.day) l.nip, d.day, l.leave_type
    from %(staging.leave)s l
    join (select %(start)s::date + k as day
          from generate_series(0, %(last)s::date - %(start)s::date) k) d
      on d.day between l.date_from and l.date_to
    order by l.nip, d.day, l.file_no, l.row_number
),

final as (
    select %(run)s::bigint as run_id, duty.nip, duty.day, duty.planned_start, duty.planned_end,
           leave_day.leave_type
    from (select * from regular union all select * from shift) duty
    left join leave_day using (nip, day)
)

select * from final;
