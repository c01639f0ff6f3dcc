-- Grain: one row per employee and planned duty in the period (R1). REGULAR: each working day
-- while active, at the unit's hours that day; SHIFT: each roster row while active (holidays do
-- not apply; a shift whose end is not after its start ends the next day). leave_type: the leave
-- that excuses the day (R2), the first in file order when several cover it.
insert into intermediate.duty_day
with employee as (
    select * from intermediate.employee where run_id = %(run)s
),

regular as (
    select e.nip, c.day,
           (c.day + coalesce(u.start_time, d.start_time)) at time zone 'Asia/Jakarta' as planned_start,
           (c.day + coalesce(u.end_time, d.end_time)) at time zone 'Asia/Jakarta' as planned_end
    from employee e
    join intermediate.calendar_day c
      on c.run_id = %(run)s and c.is_workday and c.day between e.d_from and e.d_to
    join intermediate.schedule_day d
      on d.run_id = %(run)s and d.unit_code = '*' and d.day = c.day
    left join intermediate.schedule_day u
      on u.run_id = %(run)s and u.unit_code = e.unit_code and u.day = c.day
    where e.schedule = 'REGULAR'
),

shift as (
    select distinct e.nip, r.shift_date as day,
           (r.shift_date + r.shift_start) at time zone 'Asia/Jakarta' as planned_start,
           (r.shift_date + r.shift_end
              + case when r.shift_end <= r.shift_start then interval '1 day' else interval '0' end
           ) at time zone 'Asia/Jakarta' as planned_end
    from employee e
    join staging.rosters r
      on r.run_id = %(run)s and r.nip = e.nip and r.shift_date between e.d_from and e.d_to
    where e.schedule = 'SHIFT'
),

leave_day as (
    select distinct on (l.nip, d::date) l.nip, d::date as day, l.leave_type
    from staging.leave l
    cross join generate_series(greatest(l.date_from, %(start)s::date),
                               least(l.date_to, %(last)s::date), interval '1 day') d
    where l.run_id = %(run)s
    order by l.nip, d::date, l.file_no, l.row_number
),

final as (
    select %(run)s::bigint as run_id, duty.nip, duty.day, duty.planned_start, duty.planned_end,
           leave_day.leave_type
    from (select * from regular union all select * from shift) duty
    left join leave_day using (nip, day)
)

select * from final;
