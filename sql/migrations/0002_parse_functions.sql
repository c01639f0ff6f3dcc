-- Parse functions for landing text (contracts.md §2.1). Each returns the typed value, or null when
-- the text is not valid; the staging SQL turns "text present but value null" into a coded rejection.
-- Formats are always explicit: PostgreSQL never guesses a date (its DateStyle would read 05/10 as
-- 10 May). All are plain SQL expressions so the planner inlines them into the set-based staging
-- query; none can raise an error on bad input (checks come before any constructor).
-- Hot paths avoid regular expressions: `parse.shape` maps every digit to 9, so one comparison
-- with a few fixed spellings checks a value's form; pg_input_is_valid (PostgreSQL 16) then checks
-- that the date or time exists before the cast. pg_input_is_valid is stable (not immutable), so
-- the functions that use it are declared stable: an immutable one would not be inlined.

-- The value with every digit written as 9: '2026-10-05 07:31' -> '9999-99-99 99:99'.
create function parse.shape(t text) returns text
language sql immutable parallel safe as $$
    select translate(t, '0123456789', '9999999999')
$$;

-- An ISO text 'YYYY-MM-DD HH:MM[:SS]' (space or T) read as WIB, or null when no such moment
-- exists (31 September, 24:00, second 60: PostgreSQL's input would accept the last two).
create function parse.iso_wib(iso text) returns timestamptz
language sql stable parallel safe as $$
    select case
        when substr(iso, 12, 2) < '24' and substr(iso, 18, 2) < '60'
             and pg_input_is_valid(iso, 'timestamp')
        then iso::timestamp at time zone 'Asia/Jakarta'
    end
$$;

-- An ISO text 'YYYY-MM-DD' as a date, or null when no such day exists (31/09, 29/02/2026).
create function parse.iso_date(iso text) returns date
language sql stable parallel safe as $$
    select case when pg_input_is_valid(iso, 'date') then iso::date end
$$;

-- Surrounding spaces (including no-break spaces from spreadsheets) removed; empty means absent.
create function parse.clean(t text) returns text
language sql immutable parallel safe as $$
    select nullif(btrim(t, E' \t\r\n\u00a0'), '')
$$;

create function parse.code(t text) returns text
language sql immutable parallel safe as $$
    select upper(parse.clean(t))
$$;

-- A date from its parts, or null when the parts name no real date (31/09, 29/02 of a common year).
create function parse.make_date_or_null(y int, m int, d int) returns date
language sql immutable parallel safe as $$
    select case
        when y between 1900 and 2999 and m between 1 and 12
             and d between 1 and (array[31, case when y % 4 = 0 and (y % 100 <> 0 or y % 400 = 0)
                                                  then 29 else 28 end,
                                        31, 30, 31, 30, 31, 31, 30, 31, 30, 31])[m]
        then make_date(y, m, d)
    end
$$;

-- Local time parts in Asia/Jakarta (WIB, UTC+7, no daylight saving) as a timestamptz, or null
-- when the parts name no real moment.
create function parse.wib_timestamp(y int, m int, d int, h int, mi int, s numeric) returns timestamptz
language sql immutable parallel safe as $$
    select case
        when h <= 23 and mi <= 59 and s < 60 and parse.make_date_or_null(y, m, d) is not null
        then make_timestamp(y, m, d, h, mi, s::float8) at time zone 'Asia/Jakarta'
    end
$$;

-- Parts of any accepted date or datetime spelling: {year, month, day, hour, minute, second,
-- offset}. YYYY-MM-DD or D/M/YYYY (day first), optionally followed by H:MM[:SS[.fff]] (space or
-- T) and an ISO 8601 offset (Z, +07, +0700, +07:00). Slow (a regex with groups): the parse
-- functions below try the common fixed-width spellings first and come here only for the rest.
create function parse.datetime_parts(t text) returns text[]
language sql immutable parallel safe as $$
    select regexp_match(regexp_replace(t, '^(\d{1,2})/(\d{1,2})/(\d{4})', '\3-\2-\1'),
        '^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d{1,6})?))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$')
$$;

-- Seconds east of UTC for an ISO offset text such as Z, +07, +0700 or -03:30.
create function parse.offset_seconds(o text) returns int
language sql immutable parallel safe as $$
    select case
        when o = 'Z' then 0
        else (case when left(o, 1) = '-' then -1 else 1 end)
             * (substr(o, 2, 2)::int * 3600
                + coalesce(nullif(right(replace(o, ':', ''), -3), '')::int, 0) * 60)
    end
$$;

-- The uncommon spellings, in PL/pgSQL so the regex runs once per value.
create function parse.timestamptz_general(t text) returns timestamptz
language plpgsql immutable parallel safe as $$
declare
    p text[] := parse.datetime_parts(t);
begin
    if p is null or p[4] is null then
        return null;  -- no time: a datetime needs one
    end if;
    -- the parts read as WIB, then moved by the difference between WIB and the stated offset
    return parse.wib_timestamp(p[1]::int, p[2]::int, p[3]::int, p[4]::int, p[5]::int,
                               coalesce(p[6], '0')::numeric)
           + make_interval(secs => 25200 - coalesce(parse.offset_seconds(p[7]), 25200));
end
$$;

-- A datetime; without an offset it is local time in Asia/Jakarta (WIB).
create function parse.to_timestamptz(t text) returns timestamptz
language sql stable parallel safe as $$
    select case
        when parse.shape(t) in ('9999-99-99 99:99:99', '9999-99-99 99:99',
                                '9999-99-99T99:99:99', '9999-99-99T99:99') then
            parse.iso_wib(t)
        when parse.shape(t) in ('99/99/9999 99:99:99', '99/99/9999 99:99') then
            parse.iso_wib(substr(t, 7, 4) || '-' || substr(t, 4, 2) || '-' || substr(t, 1, 2)
                          || substr(t, 11))
        else parse.timestamptz_general(t)
    end
$$;

-- The uncommon date spellings; a time part is allowed only when it is midnight (spreadsheets
-- export date cells so).
create function parse.date_general(t text) returns date
language plpgsql immutable parallel safe as $$
declare
    p text[] := parse.datetime_parts(t);
begin
    if p is null or p[7] is not null
       or coalesce(p[4]::int, 0) <> 0 or coalesce(p[5]::int, 0) <> 0
       or coalesce(p[6]::numeric, 0) <> 0 then
        return null;
    end if;
    return parse.make_date_or_null(p[1]::int, p[2]::int, p[3]::int);
end
$$;

-- A date: YYYY-MM-DD or DD/MM/YYYY, always day first.
create function parse.to_date(t text) returns date
language sql stable parallel safe as $$
    select case parse.shape(t)
        when '9999-99-99' then parse.iso_date(t)
        when '99/99/9999' then
            parse.iso_date(substr(t, 7, 4) || '-' || substr(t, 4, 2) || '-' || substr(t, 1, 2))
        else parse.date_general(t)
    end
$$;

-- HH:MM or HH:MM:SS, 00:00 to 23:59:59.
create function parse.to_time(t text) returns time
language sql immutable parallel safe as $$
    select case
        when t ~ '^([01]?\d|2[0-3]):[0-5]\d(:[0-5]\d)?$' then t::time
    end
$$;

-- A whole number: "3", "3.0", "+3"; with a decimal comma ("3,0") only when the file allows it.
create function parse.to_integer(t text, decimal_comma boolean) returns bigint
language sql immutable parallel safe as $$
    select case
        when t ~ '^[+-]?\d{1,15}$' then t::bigint
        when t ~ '^[+-]?\d{1,15}\.0+$' then split_part(t, '.', 1)::bigint
        when decimal_comma and t ~ '^[+-]?\d{1,15},0+$' then split_part(t, ',', 1)::bigint
    end
$$;

-- NIP: spaces and dots removed first (contracts §2.1).
create function parse.nip_digits(t text) returns text
language sql immutable parallel safe as $$
    select translate(t, E' .\t\u00a0', '')
$$;

-- True when the text is a number in scientific notation (1.98E+17): a spreadsheet stored the NIP
-- as a number and its last digits are gone.
create function parse.is_nip_as_number(t text) returns boolean
language sql immutable parallel safe as $$
    select t ~* '^\d+([.,]\d+)?e\+?\d+$'
$$;

-- R5 (Perka BKN 22/2007), the part both forms share: 18 digits, a real birth date (YYYYMMDD)
-- first, a sex digit 1 or 2 in place 15 and a sequence 001-999 last.
create function parse.is_nip_shape(n text) returns boolean
language sql stable parallel safe as $$
    select case when parse.shape(n) = '999999999999999999' then
            parse.iso_date(substr(n, 1, 4) || '-' || substr(n, 5, 2) || '-' || substr(n, 7, 2))
                is not null
            and substr(n, 15, 1) in ('1', '2')
            and substr(n, 16, 3) <> '000'
        else false end
$$;

-- PNS: the first appointment YYYYMM (places 9-14) is a real month after the birth month.
create function parse.is_pns_nip(n text) returns boolean
language sql stable parallel safe as $$
    select case when parse.is_nip_shape(n) then
            substr(n, 13, 2)::int between 1 and 12 and substr(n, 9, 6) > substr(n, 1, 6)
        else false end
$$;

-- PPPK: the appointment year (places 9-12) is 2019 or later and after the birth year.
create function parse.is_pppk_nip(n text) returns boolean
language sql stable parallel safe as $$
    select case when parse.is_nip_shape(n) then
            substr(n, 9, 4)::int >= 2019 and substr(n, 9, 4) > substr(n, 1, 4)
        else false end
$$;

-- Which pattern applies comes from employment_type where the row has one; elsewhere either.
create function parse.is_valid_nip(n text, employment_type text) returns boolean
language sql stable parallel safe as $$
    select case employment_type
        when 'PNS' then parse.is_pns_nip(n)
        when 'PPPK' then parse.is_pppk_nip(n)
        else parse.is_pns_nip(n) or parse.is_pppk_nip(n)
    end
$$;

-- Split one CSV record into its fields, character by character, for records whose quoting is not
-- well formed (a quote inside an unquoted value is kept as a character).
create function parse.csv_fields_lenient(rec text, delim text) returns text[]
language plpgsql immutable parallel safe as $$
declare
    fields text[] := '{}';
    field text := '';
    in_quotes boolean := false;
    i int := 1;
    n int := length(rec);
    c text;
begin
    while i <= n loop
        c := substr(rec, i, 1);
        if in_quotes then
            if c = '"' then
                if substr(rec, i + 1, 1) = '"' then
                    field := field || '"';
                    i := i + 1;
                else
                    in_quotes := false;
                end if;
            else
                field := field || c;
            end if;
        elsif c = '"' and field = '' then  -- a quote opens quoting only at a value's start
            in_quotes := true;
        elsif c = delim then
            fields := fields || field;
            field := '';
        else
            field := field || c;
        end if;
        i := i + 1;
    end loop;
    return fields || field;
end
$$;

-- Split one CSV record into its fields (RFC 4180 quoting: "" inside quotes is a quote). Used only
-- for records that contain a quote; plain ones are cut with split_part. A well-formed record is
-- split by one regular expression; anything else goes to the lenient character loop.
create function parse.csv_fields(rec text, delim text) returns text[]
language sql immutable parallel safe as $$
    select case
        when rec ~ ('^(?:"(?:[^"]|"")*"|[^"' || delim || ']*)(?:' || delim
                    || '(?:"(?:[^"]|"")*"|[^"' || delim || ']*))*$')
        then (
            select array_agg(case when left(m[1], 1) = '"'
                                  then replace(substr(m[1], 2, length(m[1]) - 2), '""', '"')
                                  else m[1] end
                             order by n)
            from regexp_matches(rec || delim, '("(?:[^"]|"")*"|[^"' || delim || ']*)' || delim, 'g')
                 with ordinality as x(m, n)
        )
        else parse.csv_fields_lenient(rec, delim)
    end
$$;
