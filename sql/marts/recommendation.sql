-- Grain: one row per (period, nip, code) (R12). Reasons in Indonesian, with the figures behind them
-- in Indonesian format (decimal comma).
insert into mart.recommendation (period, nip, kind, code, reason, rules_version, run_id, published_at)
with scorecard as (
    select * from intermediate.scorecard where run_id = %(run)s
),

nrr_low as (
    select s.*,
           s.ikm_responses >= %(nrr_min_responses)s and s.nrr_u6 < %(nrr_below)s as u6_low,
           s.ikm_responses >= %(nrr_min_responses)s and s.nrr_u7 < %(nrr_below)s as u7_low,
           s.role = 'SERVICE_COUNTER' and s.ikm_responses >= %(sc_min_responses)s
             and s.ikm < %(service_ikm_below)s as ikm_low
    from scorecard s
),

-- R7: a predikat whose rating hasil kerja is the supervisor's SKP rating says so.
basis as (
    select s.*,
           case when rating_hasil_kerja_basis = 'ATASAN' then ' dari penilaian SKP atasan' else '' end as atasan
    from scorecard s
),

candidate as (
    select nip, 'REWARD' as kind, 'KANDIDAT_PENGHARGAAN' as code,
           'Predikat ' || predikat || ' (rating hasil kerja ' || rating_hasil_kerja || atasan
           || ', rating perilaku ' || rating_perilaku || ')' as reason
    from basis
    where predikat = any(%(reward_predikat)s::text[])

    union all
    select nip, 'TRAINING', 'PELAYANAN_PRIMA',
           concat_ws('; ',
               case when ikm_low then 'IKM ' || replace(to_char(ikm, 'FM990.00'), '.', ',') || ' dari ' || ikm_responses
                                      || ' responden, di bawah '
                                      || replace(%(service_ikm_below)s::text, '.', ',') end,
               case when u7_low then 'NRR unsur perilaku pelaksana (U7) ' || replace(to_char(nrr_u7, 'FM0.0000'), '.', ',')
                                     || ' dari ' || ikm_responses || ' responden, di bawah '
                                     || replace(%(nrr_below)s::text, '.', ',') end)
    from nrr_low
    where ikm_low or u7_low

    union all
    select nip, 'TRAINING', 'KOMPETENSI_TEKNIS',
           'NRR unsur kompetensi pelaksana (U6) ' || replace(to_char(nrr_u6, 'FM0.0000'), '.', ',') || ' dari '
           || ikm_responses || ' responden, di bawah ' || replace(%(nrr_below)s::text, '.', ',')
    from nrr_low
    where u6_low

    union all
    select nip, 'PEMBINAAN', 'DISIPLIN',
           concat_ws('; ',
               case when rating_perilaku = 'Di Bawah Ekspektasi' then
                    'rating perilaku Di Bawah Ekspektasi: ' || days_absent_unexcused
                    || ' hari tanpa keterangan (TK), ' || late_count || ' kali terlambat, '
                    || early_leave_count || ' kali pulang cepat, potongan TPP '
                    || replace(to_char(tpp_deduction_pct, 'FM990.00'), '.', ',') || ' %%' end,
               case when discipline_flag is not null then
                    'status disiplin ' || replace(lower(discipline_flag), '_', ' ') || ': ' || unexcused_days_ytd
                    || ' hari TK sepanjang tahun ' || left(period, 4) end)
    from scorecard
    where rating_perilaku = 'Di Bawah Ekspektasi' or discipline_flag is not null

    union all
    select nip, 'SUPPORT', 'PENDAMPINGAN',
           'Predikat ' || predikat || ' pada ' || period
           || case when atasan <> '' then ' (rating hasil kerja' || atasan || ')' else '' end
           || ' dan ' || previous_predikat || ' pada ' || %(prev_period)s
           || ': pendampingan dan dukungan kesejahteraan'
    from basis
    where predikat = any(%(support_predikat)s::text[])
      and previous_predikat = any(%(support_predikat)s::text[])
)

select %(period)s, nip, kind, code, reason, %(rules_version)s, %(run)s, now()
from candidate;
