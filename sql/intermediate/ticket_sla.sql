-- Grain: one row per ticket SELESAI whose completed_at falls in the period (R9). Working days
-- taken: working days d with date(received_at) < d <= date(completed_at), by the R1 calendar
-- (workday_no counts working days up to a date, so the count is one subtraction).
insert into intermediate.ticket_sla
with ticket as materialized (
    select t.*, (t.received_at at time zone 'Asia/Jakarta')::date as received_day,
           (t.completed_at at time zone 'Asia/Jakarta')::date as completed_day
    from staging.service_tickets t
    where t.run_id = %(run)s and t.status = 'SELESAI'
      and (t.completed_at at time zone 'Asia/Jakarta')::date between %(start)s::date and %(last)s::date
),

catalog as (
    select distinct on (service_code) service_code, sla_working_days
    from staging.service_catalog
    where run_id = %(run)s
    order by service_code, file_no, row_number
),

final as (
    select %(run)s::bigint as run_id, t.ticket_id, t.unit_code, t.service_code, t.officer_nip,
           t.received_at, t.completed_at, c.sla_working_days,
           (done.workday_no - received.workday_no) as working_days_taken,
           (done.workday_no - received.workday_no) <= c.sla_working_days as met,
           t.file_no, t.row_number
    from ticket t
    join catalog c using (service_code)
    join intermediate.calendar_day received
      on received.run_id = %(run)s and received.day = t.received_day
    join intermediate.calendar_day done
      on done.run_id = %(run)s and done.day = t.completed_day
)

select * from final;
