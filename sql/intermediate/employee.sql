-- Grain: one row per employee active at any time in the period (R1), with the days of the period
-- they were active (d_from..d_to). Duplicate NIPs were rejected in staging; the first row stays.
insert into intermediate.employee
select distinct on (nip)
    run_id, period, nip, name, unit_code, unit_name, employment_type, job_type, role, schedule,
    active_from, active_to,
    greatest(active_from, %(start)s::date) as d_from,
    least(coalesce(active_to, %(last)s::date), %(last)s::date) as d_to,
    file_no, row_number
from staging.employees
where run_id = %(run)s
  and active_from <= %(last)s::date
  and (active_to is null or active_to >= %(start)s::date)
order by nip, file_no, row_number;
