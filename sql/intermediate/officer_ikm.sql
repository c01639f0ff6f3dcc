-- Grain: one row per officer whose tickets got survey responses in the period (R8). NRR_u: the
-- mean of the answered values of element u; IKM from the NRR of the elements with an answer.
insert into intermediate.officer_ikm
with nrr as (
    select officer_nip as nip, count(*)::integer as responses,
           avg(u1::numeric) as nrr_u1, avg(u2::numeric) as nrr_u2, avg(u3::numeric) as nrr_u3,
           avg(u4::numeric) as nrr_u4, avg(u5::numeric) as nrr_u5, avg(u6::numeric) as nrr_u6,
           avg(u7::numeric) as nrr_u7, avg(u8::numeric) as nrr_u8, avg(u9::numeric) as nrr_u9
    from intermediate.survey_response
    where run_id = %(run)s and officer_nip is not null
    group by officer_nip
)

select %(run)s::bigint as run_id, n.*,
       intermediate.ikm(array[nrr_u1, nrr_u2, nrr_u3, nrr_u4, nrr_u5, nrr_u6, nrr_u7, nrr_u8, nrr_u9],
                        %(ikm_scale)s) as ikm
from nrr n;
