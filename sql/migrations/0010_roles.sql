-- Least-privilege roles and row-level security per unit (README "Security and operations").
--
-- Four group roles (NOLOGIN; people and tools log in as their own roles, granted one of these):
--   loader     owns the pipeline's schemas and tables: loads raw/staging/meta, scores, publishes
--   hr         reads mart only
--   unit_head  reads mart rows of its own units only (access.unit_grant, row-level security)
--   auditor    reads meta and mart, never raw punches (raw, staging, rejected rows' values)
-- Their names are <prefix><purpose>, prefix from the setting kinerja.role_prefix (the migration
-- runner sets it from KINERJA_ROLE_PREFIX; default kinerja_). Roles belong to the whole server
-- and several databases may share one: a role that exists already is reused, never re-created.
create schema if not exists access;

create table access.role (
    purpose   text primary key check (purpose in ('loader', 'hr', 'unit_head', 'auditor')),
    role_name text not null unique
);
insert into access.role (purpose, role_name)
select purpose, coalesce(nullif(current_setting('kinerja.role_prefix', true), ''), 'kinerja_') || purpose
from unnest(array['loader', 'hr', 'unit_head', 'auditor']) as purpose;

do $$
declare
    name text;
begin
    for name in select role_name from access.role loop
        if not exists (select from pg_roles where rolname = name) then
            begin
                execute format('create role %I nologin', name);
            exception when duplicate_object or unique_violation then
                null;  -- another database's migration created it at the same moment
            end;
        end if;
    end loop;
end
$$;

-- Which units a login role heading units may read (`kinerja grant-unit ROLE UNIT`).
create table access.unit_grant (
    role_name  text not null,
    unit_code  text not null,
    granted_at timestamptz not null default clock_timestamp(),
    primary key (role_name, unit_code)
);
-- A unit head reads its own grants only: the mart policies look them up as the reading role.
alter table access.unit_grant enable row level security;
create policy own_grants on access.unit_grant for select using (role_name = current_user);

-- Privileges and policies on every table of the pipeline's schemas. Idempotent; the migration
-- runner calls it after applying migrations, so tables added by later migrations are covered.
-- A mart table is filtered for unit heads by its unit_code, else through the scorecard row of
-- its (period, nip), else hidden from them entirely.
create procedure access.apply_privileges()
language plpgsql
as $$
declare
    loader    text := (select role_name from access.role where purpose = 'loader');
    hr        text := (select role_name from access.role where purpose = 'hr');
    unit_head text := (select role_name from access.role where purpose = 'unit_head');
    auditor   text := (select role_name from access.role where purpose = 'auditor');
    pipeline  text[] := array['raw', 'staging', 'meta', 'parse', 'intermediate', 'mart', 'access'];
    rel       record;
    own_rows  text;
begin
    for rel in
        select n.nspname as schema_name from pg_namespace n where n.nspname = any (pipeline)
    loop
        execute format('alter schema %I owner to %I', rel.schema_name, loader);
    end loop;
    for rel in
        select n.nspname as schema_name, c.relname, c.relkind from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
        where (n.nspname = any (pipeline) or (n.nspname = 'public' and c.relname = 'schema_migration'))
          and c.relkind in ('r', 'p', 'v', 'm')  -- identity sequences follow their table
    loop
        execute format('alter %s %I.%I owner to %I',
                       case rel.relkind when 'v' then 'view' when 'm' then 'materialized view'
                                        else 'table' end,
                       rel.schema_name, rel.relname, loader);
    end loop;
    for rel in
        select p.oid::regprocedure as fn from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = any (pipeline) and p.prokind in ('f', 'p')
    loop
        execute format('alter routine %s owner to %I', rel.fn, loader);
    end loop;

    execute format('grant usage on schema mart to %I, %I, %I', hr, unit_head, auditor);
    execute format('grant select on all tables in schema mart to %I, %I, %I', hr, unit_head, auditor);
    execute format('grant usage on schema meta to %I', auditor);
    execute format('grant select on all tables in schema meta to %I', auditor);
    -- A rejected row's value and raw row can be a punch: the auditor sees which rule, not the data.
    execute format('revoke select on meta.rejected_row from %I', auditor);
    execute format('grant select (%s) on meta.rejected_row to %I',
                   (select string_agg(quote_ident(column_name), ', ' order by ordinal_position)
                    from information_schema.columns
                    where table_schema = 'meta' and table_name = 'rejected_row'
                      and column_name not in ('value', 'raw_row')),
                   auditor);
    execute format('grant usage on schema access to %I', unit_head);
    execute format('grant select on access.unit_grant to %I', unit_head);

    for rel in
        select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'mart' and c.relkind in ('r', 'p') and not c.relispartition
    loop
        own_rows := case
            when exists (select from information_schema.columns where table_schema = 'mart'
                         and table_name = rel.relname and column_name = 'unit_code')
                then format('exists (select from access.unit_grant g where g.role_name = current_user'
                            ' and g.unit_code = %I.unit_code)', rel.relname)
            when (select count(*) from information_schema.columns where table_schema = 'mart'
                  and table_name = rel.relname and column_name in ('period', 'nip')) = 2
                -- the scorecard's own policy decides which (period, nip) the reader may see
                then format('exists (select from mart.employee_scorecard s where s.period = %1$I.period'
                            ' and s.nip = %1$I.nip)', rel.relname)
            else 'false'
        end;
        execute format('alter table mart.%I enable row level security', rel.relname);
        execute format('drop policy if exists read_all on mart.%I', rel.relname);
        execute format('create policy read_all on mart.%I for select to %I, %I using (true)',
                       rel.relname, hr, auditor);
        execute format('drop policy if exists own_units on mart.%I', rel.relname);
        execute format('create policy own_units on mart.%I for select to %I using (%s)',
                       rel.relname, unit_head, own_rows);
    end loop;
end
$$;
