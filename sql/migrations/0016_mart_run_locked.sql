-- What the marts' foreign keys also did and migration 0015's checks did not: hold the run named
-- (KEY SHARE, as a foreign key's check does), so a DELETE of the run cannot commit beside a
-- transaction writing mart rows that name it, and refuse a change of a named run's run_id (an
-- identity column: only `set run_id = default` changes it).

-- The runs `run_ids` must not leave meta.run while a mart names them.
create function meta.refuse_runs_named_by_marts(run_ids bigint[]) returns void
language plpgsql as $$
declare
    mart text;
    named bigint;
begin
    foreach mart in array array['employee_scorecard', 'employee_kpi', 'recommendation', 'unit_summary'] loop
        execute format('select run_id from mart.%I where run_id = any ($1) limit 1', mart) into named using run_ids;
        if named is not null then
            raise foreign_key_violation using
                message = format('meta.run: run %s is still named by mart.%I', named, mart),
                hint = 'a published run''s rows are replaced by publishing another run of the period';
        end if;
    end loop;
end
$$;

create or replace function meta.check_mart_run_exists() returns trigger
language plpgsql as $$
declare
    missing bigint;
begin
    -- Held until the writer commits: a DELETE of these runs waits, then sees the mart rows.
    perform from meta.run r where r.run_id in (select distinct w.run_id from written w) for key share;
    select w.run_id into missing from written w
    where not exists (select from meta.run r where r.run_id = w.run_id)
    limit 1;
    if found then
        raise foreign_key_violation using
            message = format('%I.%I: run_id %s is not a run of meta.run', tg_table_schema, tg_table_name, missing),
            hint = 'mart rows are written by the publish of a run (pipelines/publish)';
    end if;
    return null;
end
$$;

create or replace function meta.check_run_not_in_marts() returns trigger
language plpgsql as $$
begin
    perform meta.refuse_runs_named_by_marts(array(select run_id from deleted));
    return null;
end
$$;

-- An UPDATE of meta.run (every run updates its own row) refuses only when a run_id it removed is
-- still named: the runs before the update that are not among the runs after it.
create function meta.check_run_ids_kept_for_marts() returns trigger
language plpgsql as $$
begin
    perform meta.refuse_runs_named_by_marts(
        array(select run_id from before_update except select run_id from after_update));
    return null;
end
$$;

create trigger run_ids_kept_for_marts after update on meta.run
referencing old table as before_update new table as after_update for each statement
execute function meta.check_run_ids_kept_for_marts();
