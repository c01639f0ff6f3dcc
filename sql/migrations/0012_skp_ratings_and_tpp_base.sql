-- Supervisor ratings (skp_ratings, R7) and the TPP base allowance in Rupiah (tpp_base, R3): two
-- optional landing sources, the scorecard columns that use them, and the unit count of ratings
-- far apart.

-- The period a rating is for, as e-Kinerja writes it: a month (2026-10, 10/2026) or a quarter
-- (2026-Q4, 2026-TW4, 2026 Q4: triwulan). Canonical 'YYYY-MM' or 'YYYY-Qn'; null when neither.
create function parse.rating_period(t text) returns text
language sql immutable parallel safe as $$
    select case
        when u ~ '^\d{4}-(0[1-9]|1[0-2])$' then u
        when u ~ '^(0?[1-9]|1[0-2])/\d{4}$' then right(u, 4) || '-' || lpad(split_part(u, '/', 1), 2, '0')
        when u ~ '^\d{4}-?(Q|TW)[1-4]$' then left(u, 4) || '-Q' || right(u, 1)
    end
    from (select upper(replace(t, ' ', '')) as u) s
$$;

create table staging.skp_ratings (
    run_id bigint not null, file_no integer not null, row_number bigint not null, period text not null,
    nip text not null, rating_period text not null, rating_hasil_kerja text not null,
    rating_perilaku text, evaluator_nip text
) partition by list (run_id);

create table staging.tpp_base (
    run_id bigint not null, file_no integer not null, row_number bigint not null, period text not null,
    nip text not null, tpp_base_rp bigint not null, job_class text
) partition by list (run_id);

-- The published hasil kerja is the objective rating where the role has one and it could be
-- given, else the supervisor's (rating_hasil_kerja_basis says which); both are kept.
alter table intermediate.scorecard
    add column rating_hasil_kerja_objektif text,
    add column rating_hasil_kerja_atasan text,
    add column rating_perilaku_atasan text,
    add column rating_hasil_kerja_basis text,
    add column rating_disagreement boolean,
    add column skp_evaluator_nip text,
    add column tpp_base_rp bigint,
    add column tpp_deduction_rp bigint,
    add column tpp_payable_rp bigint;

alter table mart.employee_scorecard
    add column rating_hasil_kerja_objektif text,
    add column rating_hasil_kerja_atasan text,
    add column rating_perilaku_atasan text,
    add column rating_hasil_kerja_basis text check (rating_hasil_kerja_basis in ('OBJEKTIF', 'ATASAN')),
    add column rating_disagreement boolean,  -- objective and supervisor ratings far apart (fairness signal)
    add column skp_evaluator_nip text,
    add column tpp_base_rp bigint,
    add column tpp_deduction_rp bigint,
    add column tpp_payable_rp bigint;

alter table mart.unit_summary
    add column rating_disagreements integer;  -- employees whose two hasil kerja ratings are far apart
