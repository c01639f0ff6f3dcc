-- Grain: one row per survey response submitted in the period (R8), with the officer and unit of
-- its ticket. The ticket may be of this or an earlier period: its latest staged version counts.
insert into intermediate.survey_response
with ticket as (
    select distinct on (t.ticket_id) t.ticket_id, t.officer_nip, t.unit_code
    from staging.service_tickets t
    join (select %(run)s::bigint as run_id, %(period)s as period
          union all
          select run_id, period from meta.staged_period where period < %(period)s) r
      on r.run_id = t.run_id
    where exists (select from staging.service_surveys s where s.run_id = %(run)s and s.ticket_id = t.ticket_id)
    order by t.ticket_id, r.period desc
)

select %(run)s::bigint as run_id, s.response_id, s.ticket_id, t.officer_nip, t.unit_code,
       s.u1, s.u2, s.u3, s.u4, s.u5, s.u6, s.u7, s.u8, s.u9
from staging.service_surveys s
join ticket t using (ticket_id)
where s.run_id = %(run)s;
