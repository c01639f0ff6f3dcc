-- Scoring (domain-rules R1-R12): intermediate models per run, the marts HR reads (contracts.md §3),
-- and which run each period's published rows come from.
create schema if not exists intermediate;
create schema if not exists mart;

-- Intermediate models (sql/intermediate/, one a file). Partitioned by run like staging: a run
-- writes its own partitions; publishing a period drops the partitions of its other runs, so the
-- published run's details stay for `kinerja explain`.

-- Grain: one row per calendar day from the earliest day a completed ticket was received to the
-- period's last day (R1, R9). workday_no numbers the working days, so working days between two
-- dates are a subtraction.
create table intermediate.calendar_day (
    run_id bigint not null, day date not null, is_workday boolean not null, holiday text,
    workday_no integer not null
) partition by list (run_id);

-- Grain: one row per working day of the period and unit_code ('*' = every unit without its own
-- hours): the REGULAR hours that day (R1, Ramadan hours included).
create table intermediate.schedule_day (
    run_id bigint not null, unit_code text not null, day date not null,
    start_time time not null, end_time time not null
) partition by list (run_id);

-- Grain: one row per employee active in the period.
create table intermediate.employee (
    run_id bigint not null, period text not null, nip text not null, name text not null,
    unit_code text not null, unit_name text, employment_type text not null, job_type text not null,
    role text not null, schedule text not null, active_from date not null, active_to date,
    d_from date not null, d_to date not null, file_no integer not null, row_number bigint not null
) partition by list (run_id);

-- Grain: one row per employee and planned duty (REGULAR: a working day; SHIFT: a roster row),
-- with its planned start and end and the leave that excuses it.
create table intermediate.duty_day (
    run_id bigint not null, nip text not null, day date not null,
    planned_start timestamptz not null, planned_end timestamptz not null, leave_type text
) partition by list (run_id);

-- Grain: one row per duty (R2): punches matched, lateness and early leave, category, deduction.
create table intermediate.attendance_day (
    run_id bigint not null, nip text not null, day date not null,
    planned_start timestamptz not null, planned_end timestamptz not null, leave_type text,
    punches integer not null, check_in timestamptz, check_out timestamptz,
    late_minutes integer, early_minutes integer, tl smallint, psw smallint,
    day_status text not null check (day_status in ('PRESENT', 'EXCUSED', 'ABSENT')),
    deduction_pct numeric not null
) partition by list (run_id);

-- R2: the TL (PSW) category of late (early) minutes, given the categories' upper bounds
-- ({30, 60, 90}: 1-30 -> 1, 31-60 -> 2, 61-90 -> 3, more -> 4). Null minutes (no check-in or
-- check-out) are category 4; 0 minutes no category. Plain SQL, so the planner inlines it.
create function intermediate.tl_psw_category(minutes integer, upper integer[]) returns smallint
    language sql immutable
    as $$ select case when minutes is null then 4
                      when minutes = 0 then null
                      when minutes <= upper[1] then 1
                      when minutes <= upper[2] then 2
                      when minutes <= upper[3] then 3
                      else 4 end::smallint $$;

-- Grain: one row per employee: the period's attendance figures and TPP deduction (R2, R3).
create table intermediate.attendance_summary (
    run_id bigint not null, nip text not null,
    workdays_expected integer not null, days_present integer not null, days_excused integer not null,
    days_absent_unexcused integer not null, late_count integer not null,
    early_leave_count integer not null, late_minutes integer not null,
    tk_run_carried integer not null, tk_run_leading integer not null,
    tk_run_trailing integer not null, tk_run_longest integer not null,
    occurrence_deduction_pct numeric not null, tpp_deduction_pct numeric not null
) partition by list (run_id);

-- Grain: one row per ticket completed in the period (R9).
create table intermediate.ticket_sla (
    run_id bigint not null, ticket_id text not null, unit_code text not null, service_code text not null,
    officer_nip text, received_at timestamptz not null, completed_at timestamptz not null,
    sla_working_days integer not null, working_days_taken integer not null, met boolean not null,
    file_no integer not null, row_number bigint not null
) partition by list (run_id);

-- Grain: one row per survey response submitted in the period, with its ticket's officer and unit
-- (the ticket may be of an earlier period: its latest staged version).
create table intermediate.survey_response (
    run_id bigint not null, response_id text not null, ticket_id text not null,
    officer_nip text, unit_code text not null,
    u1 smallint, u2 smallint, u3 smallint, u4 smallint, u5 smallint,
    u6 smallint, u7 smallint, u8 smallint, u9 smallint
) partition by list (run_id);

-- R8: IKM = scale x the plain mean of the NRR of the elements with an answer, rounded only at
-- the end (exactly 1/9 each when all nine are answered).
create function intermediate.ikm(nrr numeric[], scale numeric) returns numeric
    language sql immutable
    as $$ select round(scale * avg(v), 2) from unnest(nrr) v $$;

-- Grain: one row per officer with survey responses in the period (R8).
create table intermediate.officer_ikm (
    run_id bigint not null, nip text not null, responses integer not null,
    nrr_u1 numeric, nrr_u2 numeric, nrr_u3 numeric, nrr_u4 numeric, nrr_u5 numeric,
    nrr_u6 numeric, nrr_u7 numeric, nrr_u8 numeric, nrr_u9 numeric, ikm numeric
) partition by list (run_id);

-- Grain: one row per employee with area assignments in the period (R10).
create table intermediate.field_rate (
    run_id bigint not null, nip text not null, assigned_days integer not null,
    counted_violations integer not null, current_rate numeric not null,
    baseline_rate numeric, baseline_periods text, change_pct numeric, patrol_records integer not null
) partition by list (run_id);

-- Grain: one row per employee active in the period: the scorecard before lineage is stamped.
create table intermediate.scorecard (
    run_id bigint not null, period text not null, nip text not null, name text not null,
    unit_code text not null, unit_name text, job_type text not null, role text not null,
    employment_type text not null, schedule text not null,
    status text not null, status_reason text,
    workdays_expected integer not null, days_present integer, days_excused integer not null,
    days_absent_unexcused integer, late_count integer, early_leave_count integer, late_minutes integer,
    attendance_rate numeric, tpp_deduction_pct numeric, tk_run_trailing integer, tk_run_longest integer,
    unexcused_days_ytd integer, discipline_flag text,
    tickets_completed integer, tickets_sla_met integer, sla_met_rate numeric,
    ikm numeric, ikm_category text, ikm_responses integer, nrr_u6 numeric, nrr_u7 numeric,
    assigned_days integer, area_violation_change_pct numeric,
    rating_perilaku text, rating_perilaku_reason text,
    rating_hasil_kerja text, rating_hasil_kerja_reason text,
    predikat text, predikat_value integer, previous_predikat text,
    attendance_coverage text, hasil_kerja_coverage text
) partition by list (run_id);

-- The marts (contracts.md §3). A period's rows are replaced in one transaction.

-- Grain: one row per (period, nip) for every employee active in the period.
create table mart.employee_scorecard (
    period text not null, nip text not null, name text not null, unit_code text not null,
    unit_name text, job_type text not null, role text not null, employment_type text not null,
    schedule text not null,
    status text not null check (status in ('SCORED', 'PARTIAL', 'INSUFFICIENT_DATA')),
    status_reason text,
    workdays_expected integer not null, days_present integer, days_excused integer not null,
    days_absent_unexcused integer, late_count integer, early_leave_count integer, late_minutes integer,
    attendance_rate numeric, tpp_deduction_pct numeric,
    tk_run_trailing integer,  -- consecutive TK working days at the period's end (R3 carries it on)
    unexcused_days_ytd integer, discipline_flag text,
    tickets_completed integer, sla_met_rate numeric, ikm numeric, ikm_category text, ikm_responses integer,
    assigned_days integer, area_violation_change_pct numeric,
    rating_perilaku text, rating_hasil_kerja text, predikat text, predikat_value integer,
    rules_version text not null, run_id bigint not null references meta.run,
    published_at timestamptz not null,
    primary key (period, nip)
);
create index employee_scorecard_unit_idx on mart.employee_scorecard (period, unit_code);
create index employee_scorecard_nip_idx on mart.employee_scorecard (nip, period);

-- Grain: one row per (period, nip, kpi_code): every KPI behind the scorecard with its inputs.
create table mart.employee_kpi (
    period text not null, nip text not null, kpi_code text not null, value numeric,
    numerator numeric, denominator numeric, target text, sufficient boolean not null,
    rule text not null, sources text not null, note text,
    rules_version text not null, run_id bigint not null references meta.run,
    published_at timestamptz not null,
    primary key (period, nip, kpi_code)
);

-- Grain: one row per (period, nip, code) (R12).
create table mart.recommendation (
    period text not null, nip text not null,
    kind text not null check (kind in ('TRAINING', 'PEMBINAAN', 'REWARD', 'SUPPORT')),
    code text not null, reason text not null,
    rules_version text not null, run_id bigint not null references meta.run,
    published_at timestamptz not null,
    primary key (period, nip, code)
);

-- Grain: one row per (period, unit_code) with employees in the period.
create table mart.unit_summary (
    period text not null, unit_code text not null, unit_name text,
    headcount integer not null, scored integer not null, partial integer not null,
    insufficient_data integer not null,
    sangat_baik integer not null, baik integer not null, butuh_perbaikan integer not null,
    kurang_misconduct integer not null, sangat_kurang integer not null,
    mean_attendance_rate numeric, tickets_completed integer, sla_met_rate numeric,
    ikm numeric, ikm_responses integer,
    missing_sources text,  -- sources not PRESENT for the unit, with their status
    rules_version text not null, run_id bigint not null references meta.run,
    published_at timestamptz not null,
    primary key (period, unit_code)
);

-- When a run's staging ended (finished_at then marks the end of its publish).
alter table meta.run add column staged_at timestamptz;

-- Which run each period's mart rows come from, a fingerprint of what later periods read from it
-- (year-to-date absence, the trailing TK run, predikat, area violations), and whether the period
-- is stale: an earlier period it depends on was re-published with different results since.
create table meta.published_period (
    period        text primary key,
    run_id        bigint not null references meta.run,
    rules_version text not null,
    fingerprint   text not null,
    published_at  timestamptz not null,
    stale_since   timestamptz,
    stale_reason  text
);
