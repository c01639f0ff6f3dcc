-- Every mart row still names a run of meta.run, but the check runs once per statement instead of
-- once per row. A foreign key checks each inserted row by a query of its own: publishing a month
-- spent as long in those checks as in writing the rows (about 5 s of employee_kpi's 2.3 M rows at
-- province scale), and every row of a publish names the same run.

-- After an INSERT or UPDATE of a mart: each run_id written is a run.
create function meta.check_mart_run_exists() returns trigger
language plpgsql as $$
declare
    missing bigint;
begin
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

-- After a DELETE from meta.run: no mart row names a deleted run (what the foreign keys' default
-- NO ACTION guaranteed).
create function meta.check_run_not_in_marts() returns trigger
language plpgsql as $$
declare
    mart text;
    used boolean;
begin
    foreach mart in array array['employee_scorecard', 'employee_kpi', 'recommendation', 'unit_summary'] loop
        execute format('select exists (select from mart.%I m join deleted d using (run_id))', mart) into used;
        if used then
            raise foreign_key_violation using
                message = format('meta.run: a deleted run is still named by mart.%I', mart),
                hint = 'a published run''s rows are replaced by publishing another run of the period';
        end if;
    end loop;
    return null;
end
$$;

do $$
declare
    mart text;
begin
    foreach mart in array array['employee_scorecard', 'employee_kpi', 'recommendation', 'unit_summary'] loop
        execute format('alter table mart.%I drop constraint %I', mart, mart || '_run_id_fkey');
        -- A trigger with a transition table serves one event: one for INSERT, one for UPDATE.
        execute format('create trigger run_exists_on_insert after insert on mart.%I'
                       ' referencing new table as written for each statement'
                       ' execute function meta.check_mart_run_exists()', mart);
        execute format('create trigger run_exists_on_update after update on mart.%I'
                       ' referencing new table as written for each statement'
                       ' execute function meta.check_mart_run_exists()', mart);
    end loop;
end
$$;

create trigger runs_not_in_marts after delete on meta.run
referencing old table as deleted for each statement
execute function meta.check_run_not_in_marts();
