-- Run and lineage records (contracts.md §3, schema meta) and the schemas the pipeline writes.
create schema if not exists raw;
create schema if not exists staging;
create schema if not exists meta;
create schema if not exists parse;

-- One row per run of a period.
create table meta.run (
    run_id        bigint generated always as identity primary key,
    period        text not null check (period ~ '^\d{4}-(0[1-9]|1[0-2])$'),
    command       text not null,
    landing       text,
    started_at    timestamptz not null default clock_timestamp(),
    finished_at   timestamptz,
    outcome       text not null default 'RUNNING'
                  check (outcome in ('RUNNING', 'STAGED', 'PUBLISHED', 'REFUSED', 'FAILED')),
    rules_version text,
    message       text
);
create index run_period_idx on meta.run (period, run_id);

-- One row per landing file and run. file_no is the file's place in the period's reading order
-- (source, then name), so a re-run of the same landing tree numbers its files the same way.
create table meta.source_file (
    run_id        bigint not null references meta.run,
    file_no       integer not null,
    period        text not null,
    source        text not null,
    file_name     text not null,
    sha256        text,
    size_bytes    bigint,
    encoding      text,
    delimiter     text,
    rows_read     bigint not null default 0,
    rows_loaded   bigint not null default 0,
    rows_rejected bigint not null default 0,
    outcome       text not null check (outcome in ('LOADED', 'REJECTED')),
    rule          text,
    message       text,
    detail        text,  -- the rule-specific fact in the message, to word it in another language
    primary key (run_id, file_no),
    check (rows_read = rows_loaded + rows_rejected)
);

-- Rows refused by a row rule, with the whole row as read. row_number is what a spreadsheet shows
-- (the header is row 1). A row failing several rules has one row here per rule.
create table meta.rejected_row (
    run_id      bigint not null references meta.run,
    file_no     integer not null,
    period      text not null,
    source      text not null,
    file_name   text not null,
    row_number  bigint not null,
    column_name text,
    value       text,
    rule        text not null,
    reason      text not null,
    detail      text,  -- the rule-specific fact in the reason, to word it in another language
    raw_row     text
);
-- One failed rule of one row, as the staging SQL collects them before writing meta.rejected_row.
create type meta.rule_failure as (rule text, column_name text, value text, reason text, detail text);

create index rejected_row_run_idx on meta.rejected_row (run_id, source, file_no, row_number);

-- What a run noticed but did not refuse: folders that are not a source, unknown columns, files
-- of another type. Reported in the run summary; nothing is lost by them.
create table meta.landing_notice (
    run_id    bigint not null references meta.run,
    period    text not null,
    source    text,
    path      text not null,
    rule      text not null,
    message   text not null,
    detail    text
);

-- Which run's staged rows are the period's current ones (switched in one transaction).
create table meta.staged_period (
    period    text primary key,
    run_id    bigint not null references meta.run,
    staged_at timestamptz not null default clock_timestamp()
);
