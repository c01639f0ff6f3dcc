-- meta.run is updated several times by every run, and its UPDATE trigger (migration 0016) asked
-- the marts about an empty list of removed runs: a scan of every mart row of every period each
-- time (`run_id = any('{}')` is not planned away). Nothing leaves meta.run: nothing to ask.
create or replace function meta.refuse_runs_named_by_marts(run_ids bigint[]) returns void
language plpgsql as $$
declare
    mart text;
    named bigint;
begin
    if cardinality(run_ids) = 0 then
        return;
    end if;
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
