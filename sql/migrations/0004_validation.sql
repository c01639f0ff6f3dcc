-- Validation results and coverage (contracts.md §3 and §5).

-- One row per expectation evaluated (Great Expectations suites on the staged batch).
create table meta.validation_result (
    run_id           bigint not null references meta.run,
    period           text not null,
    source           text not null,
    file_name        text,  -- null: the expectation ran over all of the source's files in the run
    expectation      text not null,
    rule             text,  -- the rule code the expectation stands for
    severity         text not null check (severity in ('critical', 'row', 'warning')),
    success          boolean not null,
    unexpected_count bigint,
    element_count    bigint,
    details          jsonb
);
create index validation_result_run_idx on meta.validation_result (run_id, source);

-- Per unit and source: whether the data a rating needs is there. The one input scoring uses to
-- decide that a rating cannot be given for lack of data.
create table meta.source_coverage (
    run_id    bigint not null references meta.run,
    period    text not null,
    unit_code text not null,
    source    text not null,
    status    text not null check (status in ('PRESENT', 'MISSING', 'INCOMPLETE', 'REFUSED', 'LATE')),
    reason    text,
    primary key (run_id, unit_code, source)
);

-- Warnings of a run that are not about one file's header (row counts far from a unit's recent
-- mean, ...). Reported; nothing rejected.
alter table meta.landing_notice add column unit_code text;

-- The units a refused file held rows for (known when the file was refused after its rows were
-- read and typed), so coverage can tell REFUSED from MISSING per unit.
create table meta.refused_file_unit (
    run_id    bigint not null references meta.run,
    file_no   integer not null,
    unit_code text not null,
    primary key (run_id, file_no, unit_code)
);
