-- Typed staging, one table per landing source (contracts.md §2.2), columns as config/sources.yml
-- types them. Every row keeps its lineage: the run, the file (meta.source_file.file_no) and the
-- row number a spreadsheet shows. Tables are partitioned by run: a run writes its own partitions,
-- and switching a period to a new run drops the old run's partitions (no mass DELETE, and a
-- failed run never mixes with the current rows).

create table staging.employees (
    run_id bigint not null, file_no integer not null, row_number bigint not null, period text not null,
    nip text not null, name text not null, unit_code text not null, unit_name text,
    employment_type text not null, job_type text not null, role text not null,
    schedule text not null, active_from date not null, active_to date
) partition by list (run_id);

create table staging.leave (
    run_id bigint not null, file_no integer not null, row_number bigint not null, period text not null,
    nip text not null, date_from date not null, date_to date not null, leave_type text not null
) partition by list (run_id);

create table staging.rosters (
    run_id bigint not null, file_no integer not null, row_number bigint not null, period text not null,
    nip text not null, shift_date date not null, shift_start time not null, shift_end time not null
) partition by list (run_id);

create table staging.attendance (
    run_id bigint not null, file_no integer not null, row_number bigint not null, period text not null,
    nip text not null, punched_at timestamptz not null, direction text, device_id text, method text
) partition by list (run_id);

create table staging.service_catalog (
    run_id bigint not null, file_no integer not null, row_number bigint not null, period text not null,
    service_code text not null, service_name text not null, sla_working_days integer not null
) partition by list (run_id);

create table staging.service_tickets (
    run_id bigint not null, file_no integer not null, row_number bigint not null, period text not null,
    ticket_id text not null, unit_code text not null, service_code text not null, officer_nip text,
    received_at timestamptz not null, completed_at timestamptz, status text not null
) partition by list (run_id);

create table staging.service_surveys (
    run_id bigint not null, file_no integer not null, row_number bigint not null, period text not null,
    response_id text not null, ticket_id text not null, submitted_at timestamptz not null,
    u1 smallint, u2 smallint, u3 smallint, u4 smallint, u5 smallint,
    u6 smallint, u7 smallint, u8 smallint, u9 smallint
) partition by list (run_id);

create table staging.traffic_violations (
    run_id bigint not null, file_no integer not null, row_number bigint not null, period text not null,
    violation_id text not null, area_code text not null, occurred_at timestamptz not null,
    violation_type text not null, detected_by text not null, action text, officer_nip text
) partition by list (run_id);

create table staging.area_assignments (
    run_id bigint not null, file_no integer not null, row_number bigint not null, period text not null,
    nip text not null, area_code text not null, date_from date not null, date_to date not null
) partition by list (run_id);

create table staging.holidays (
    run_id bigint not null, file_no integer not null, row_number bigint not null, period text not null,
    holiday_date date not null, description text
) partition by list (run_id);
