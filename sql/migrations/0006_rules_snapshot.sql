-- The rules each run was made with: the content of the rules file and of sources.yml under the
-- rules_version stamped on the run and its published rows, so `explain`, `export` and `report`
-- show a period with its own rules, not with whatever the file says today.
create table meta.rules_snapshot (
    rules_version text primary key,
    rules         jsonb not null,
    sources       jsonb not null,
    rules_file    text not null,  -- where the rules were read the first time this version ran
    created_at    timestamptz not null default clock_timestamp()
);

-- Runs from now on name a stored snapshot; runs made before this migration have none (NOT VALID
-- leaves their rows unchecked) and are shown with a note that their rules were not kept.
alter table meta.run
    add constraint run_rules_snapshot_fk foreign key (rules_version) references meta.rules_snapshot not valid;
